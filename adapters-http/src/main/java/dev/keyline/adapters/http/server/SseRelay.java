package dev.keyline.adapters.http.server;

import dev.keyline.domain.failure.ProviderFailure;
import dev.keyline.domain.message.StreamEvent;
import dev.keyline.ports.out.EventStream;
import dev.keyline.ports.out.StreamStep;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * Writes an upstream event stream to the client one event at a time, flushing each, so the client's first byte
 * leaves as soon as the upstream's arrives. A stream that breaks ends with an Anthropic {@code error} event, so
 * a cut answer is never passed off as complete.
 */
final class SseRelay {

    /** How the relay ended, for the access log. */
    enum Outcome {
        COMPLETED,
        UPSTREAM_BROKE,
        CLIENT_LEFT
    }

    private SseRelay() {}

    /** Relays until the stream ends; the caller closes {@code events}, after the client's response is complete. */
    static Outcome relay(EventStream events, OutputStream out) {
        try {
            while (true) {
                switch (events.next()) {
                    case StreamStep.Event event -> write(out, event.event());
                    case StreamStep.End end -> {
                        return Outcome.COMPLETED;
                    }
                    case StreamStep.Broken broken -> {
                        write(out, errorEvent(broken.failure()));
                        return Outcome.UPSTREAM_BROKE;
                    }
                }
            }
        } catch (IOException | UncheckedIOException e) {
            return Outcome.CLIENT_LEFT;
        }
    }

    static void write(OutputStream out, StreamEvent event) throws IOException {
        StringBuilder frame =
                new StringBuilder(event.data().length() + event.type().length() + 16);
        frame.append("event: ").append(event.type()).append('\n');
        for (String line : event.data().split("\n", -1)) {
            frame.append("data: ").append(line).append('\n');
        }
        frame.append('\n');
        out.write(frame.toString().getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private static StreamEvent errorEvent(ProviderFailure failure) {
        String interrupted = "the upstream stream was interrupted";
        String[] typeAndMessage = switch (failure) {
            case ProviderFailure.Timeout timeout ->
                new String[] {
                    "timeout_error",
                    "the upstream stream stalled for longer than "
                            + timeout.after().toMillis() + " ms"
                };
            case ProviderFailure.ConnectionFailed connection -> new String[] {"api_error", connection.reason()};
            case ProviderFailure.MalformedReply malformed -> new String[] {"api_error", malformed.reason()};
            case ProviderFailure.Overloaded overloaded -> new String[] {"overloaded_error", interrupted};
            case ProviderFailure.RateLimited limited -> new String[] {"rate_limit_error", interrupted};
            case ProviderFailure.ServerError server -> new String[] {"api_error", interrupted};
            case ProviderFailure.Unauthorized unauthorized -> new String[] {"api_error", interrupted};
            case ProviderFailure.PermissionDenied denied -> new String[] {"api_error", interrupted};
            case ProviderFailure.NotFound notFound -> new String[] {"api_error", interrupted};
            case ProviderFailure.RequestTooLarge tooLarge -> new String[] {"api_error", interrupted};
            case ProviderFailure.InvalidRequest invalid -> new String[] {"api_error", interrupted};
        };
        return new StreamEvent(
                "error",
                new String(AnthropicErrors.body(typeAndMessage[0], typeAndMessage[1]), StandardCharsets.UTF_8));
    }
}
