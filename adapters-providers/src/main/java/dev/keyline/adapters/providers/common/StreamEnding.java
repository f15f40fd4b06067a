package dev.keyline.adapters.providers.common;

import dev.keyline.domain.failure.ProviderFailure;
import dev.keyline.domain.message.StreamEvent;
import dev.keyline.ports.out.StreamStep;
import java.util.regex.Pattern;

/**
 * How an upstream's Messages stream ends, whatever frames carry it (SSE, Bedrock's event stream): properly with
 * {@code message_stop} or an {@code error} event; or when its body ends. A body that ends after a
 * {@code message_delta} with a stop reason lost only its {@code message_stop}, and is finished with one rather than
 * failed (SDKs would raise, and the user would lose a whole answer), whether the body ended or its connection failed;
 * any other early end is a broken stream.
 */
public final class StreamEnding {

    /** A stop reason that is a string, not null: the answer is whole. */
    private static final Pattern STOP_REASON = Pattern.compile("\"stop_reason\"\\s*:\\s*\"");

    private static final StreamEvent MESSAGE_STOP = new StreamEvent("message_stop", "{\"type\":\"message_stop\"}");

    private boolean stopReasonSeen;

    /**
     * Notes one relayed event.
     *
     * @return whether it ends the stream properly ({@code message_stop} or {@code error})
     */
    public boolean ends(String type, String data) {
        if (type.equals("message_delta") && STOP_REASON.matcher(data).find()) {
            stopReasonSeen = true;
        }
        return type.equals("message_stop") || type.equals("error");
    }

    /**
     * @param failure how the connection failed (a reset, a stall)
     * @return the lost {@code message_stop} of a whole answer, whose connection failed after its stop reason; else
     *     the broken stream
     */
    public StreamStep failedWith(ProviderFailure failure) {
        return stopReasonSeen ? new StreamStep.Event(MESSAGE_STOP) : new StreamStep.Broken(failure);
    }

    /** @return the step the body's end is: the lost {@code message_stop} of a whole answer, else a broken stream */
    public StreamStep endOfBody() {
        return stopReasonSeen
                ? new StreamStep.Event(MESSAGE_STOP)
                : new StreamStep.Broken(new ProviderFailure.ConnectionFailed("the stream ended before message_stop"));
    }
}
