package dev.keyline.adapters.frontdoors.server;

import dev.keyline.ports.in.MessagesStreamResult;
import dev.keyline.ports.out.EventStream;
import dev.keyline.ports.out.Telemetry;
import io.helidon.common.socket.SocketWriterException;
import io.helidon.http.Status;
import io.helidon.webserver.CloseConnectionException;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;

/**
 * Sends a stream the use case opened, the same way on every door: the status and reply headers, the event-stream
 * headers, the open-streams gauge, the first byte marked in the journal, and the upstream stream closed after the
 * client's response is complete (closing it may read its last chunk). The door supplies only the relay, which
 * writes the events in its own format.
 */
public final class StreamReply {

    /** Writes the events to the client in a door's format until the stream ends. */
    @FunctionalInterface
    public interface Relay {
        StreamOutcome relay(EventStream events, OutputStream out) throws IOException;
    }

    private StreamReply() {}

    /** @return how the stream ended, for the access line */
    public static StreamOutcome send(
            ServerResponse res,
            MessagesStreamResult.Streaming streaming,
            InMemoryRequestJournal journal,
            Telemetry telemetry,
            Relay relay) {
        res.status(Status.OK_200);
        ReplyHeaders.served(res, streaming.servedBy(), streaming.attempts(), streaming.headers());
        EventStreamHeaders.set(res);
        telemetry.streamOpened();
        try (EventStream events = streaming.events()) {
            try (OutputStream out = new FirstByteMark(res.outputStream(), journal)) {
                return relay.relay(events, out);
            } catch (IOException | UncheckedIOException | CloseConnectionException | SocketWriterException e) {
                // Helidon reports a client that left as its own unchecked exceptions; the stream still ends here, so
                // its access line, metrics and spend are written like any other's.
                return StreamOutcome.CLIENT_LEFT;
            }
        } finally {
            telemetry.streamClosed();
        }
    }
}
