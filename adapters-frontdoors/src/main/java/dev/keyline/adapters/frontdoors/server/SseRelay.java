package dev.keyline.adapters.frontdoors.server;

import dev.keyline.domain.failure.ProviderFailure;
import dev.keyline.domain.message.StreamEvent;
import dev.keyline.ports.out.EventStream;
import dev.keyline.ports.out.MessageEventCodec;
import dev.keyline.ports.out.StreamStep;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.function.Function;

/**
 * Writes an upstream event stream to the client as its events arrive: an event is flushed at once unless the next
 * one is already here, so events that came together leave in one write and none waits for one still to come. A
 * stream that breaks ends with an Anthropic {@code error} event, so a cut answer is never passed off as complete.
 */
final class SseRelay {

    private SseRelay() {}

    /**
     * Relays until the stream ends; the caller closes {@code events}, after the client's response is complete.
     *
     * @param codec         frames the typed events (a translated upstream's, a search loop's own)
     * @param upstreamError the Anthropic error body for a failure that is an upstream's own error reply (a search
     *                      loop's follow-up refused with a 500, say), as a JSON answer would carry it
     */
    static StreamOutcome relay(
            EventStream events,
            OutputStream out,
            MessageEventCodec codec,
            Function<ProviderFailure, byte[]> upstreamError) {
        try {
            while (true) {
                switch (events.next()) {
                    case StreamStep.Event event -> {
                        // An Anthropic upstream's frame goes as it came; a typed event is framed here, once.
                        write(out, codec.framed(event.event()));
                        if (!events.ready()) {
                            out.flush(); // nothing more is here yet: what is written goes now
                        }
                    }
                    case StreamStep.End end -> {
                        return StreamOutcome.COMPLETED;
                    }
                    case StreamStep.Broken broken -> {
                        write(out, errorEvent(broken.failure(), upstreamError));
                        out.flush();
                        return StreamOutcome.UPSTREAM_BROKE;
                    }
                }
            }
        } catch (IOException | UncheckedIOException e) {
            return StreamOutcome.CLIENT_LEFT;
        }
    }

    static void write(OutputStream out, StreamEvent event) throws IOException {
        String data = event.data();
        if (data.indexOf('\n') < 0) {
            // Nearly every event: one data line, framed in one exactly sized string, encoded once.
            out.write(("event: " + event.type() + "\ndata: " + data + "\n\n").getBytes(StandardCharsets.UTF_8));
            return;
        }
        StringBuilder frame =
                new StringBuilder(event.data().length() + event.type().length() + 16);
        frame.append("event: ").append(event.type()).append('\n');
        for (String line : event.data().split("\n", -1)) {
            frame.append("data: ").append(line).append('\n');
        }
        frame.append('\n');
        out.write(frame.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** The stream's own breakage is described here; an upstream's error reply is relayed as a JSON answer has it. */
    private static StreamEvent errorEvent(ProviderFailure failure, Function<ProviderFailure, byte[]> upstreamError) {
        byte[] body = switch (failure) {
            case ProviderFailure.Timeout timeout ->
                AnthropicErrors.body(
                        "timeout_error",
                        "the upstream stream stalled for longer than "
                                + timeout.after().toMillis() + " ms");
            case ProviderFailure.ConnectionFailed connection -> AnthropicErrors.body("api_error", connection.reason());
            case ProviderFailure.MalformedReply malformed -> AnthropicErrors.body("api_error", malformed.reason());
            case ProviderFailure.Overloaded overloaded -> upstreamError.apply(failure);
            case ProviderFailure.RateLimited limited -> upstreamError.apply(failure);
            case ProviderFailure.ServerError server -> upstreamError.apply(failure);
            case ProviderFailure.Unauthorized unauthorized -> upstreamError.apply(failure);
            case ProviderFailure.PermissionDenied denied -> upstreamError.apply(failure);
            case ProviderFailure.NotFound notFound -> upstreamError.apply(failure);
            case ProviderFailure.RequestTooLarge tooLarge -> upstreamError.apply(failure);
            case ProviderFailure.InvalidRequest invalid -> upstreamError.apply(failure);
        };
        return new StreamEvent("error", new String(body, StandardCharsets.UTF_8));
    }
}
