package dev.keyline.adapters.providers.common;

import dev.keyline.domain.deployment.Deployment;
import dev.keyline.domain.failure.ProviderFailure;
import dev.keyline.domain.message.StreamEvent;
import dev.keyline.ports.out.EventStream;
import dev.keyline.ports.out.StreamStep;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.Objects;

/**
 * Reads server-sent events from an upstream body as they arrive and hands them on one by one. A stream that stops
 * before {@code message_stop} (or an {@code error} event) is reported broken, never as complete, unless the answer
 * was already whole ({@link StreamEnding}, the rule every stream reader shares).
 * Every event is checked ({@link StreamEventShape}) before it is handed on: one a client could not parse breaks
 * the stream instead of reaching the client.
 */
public final class SseEventStream implements EventStream {

    /**
     * After {@code message_stop} an upstream sends only the body's end (the last chunk); reading it lets the
     * connection go back to the pool, so the next stream skips a TCP connect. More than this is not waited for.
     */
    private static final int MAX_TRAILING_BYTES = 16 * 1024;
    /** How long closing waits for the trailer before leaving it to the drainer: the client is not kept waiting. */
    private static final Duration TRAILER_WAIT = Duration.ofMillis(50);

    private final SseFrameReader reader;
    private final AutoCloseable connection;
    private final Deployment deployment;
    private final StreamEventShape shape;
    private boolean finished;
    /** The upstream ended its answer properly ({@code message_stop} or {@code error}), not by breaking. */
    private boolean completed;

    private final StreamEnding ending = new StreamEnding();

    private boolean closed;
    private final Duration idleTimeout;

    /** @param idleTimeout the socket's read timeout, named when a read times out */
    public SseEventStream(
            InputStream body,
            AutoCloseable connection,
            Deployment deployment,
            StreamEventShape shape,
            Duration idleTimeout) {
        this.reader = new SseFrameReader(body);
        this.connection = Objects.requireNonNull(connection, "'connection' must not be null");
        this.deployment = Objects.requireNonNull(deployment, "'deployment' must not be null");
        this.shape = Objects.requireNonNull(shape, "'shape' must not be null");
        this.idleTimeout = Objects.requireNonNull(idleTimeout, "'idleTimeout' must not be null");
    }

    @Override
    public StreamStep next() {
        if (finished) {
            return new StreamStep.End();
        }
        try {
            StreamEvent event = readEvent();
            if (event == null) {
                finished = true;
                StreamStep end = ending.endOfBody();
                completed = end instanceof StreamStep.Event;
                return end;
            }
            if (ending.ends(event.type(), event.data())) {
                finished = true;
                completed = true;
            }
            return new StreamStep.Event(event);
        } catch (InvalidEvent e) {
            finished = true;
            return new StreamStep.Broken(new ProviderFailure.MalformedReply(
                    200, "the upstream sent an event a client could not read (" + e.getMessage() + ")"));
        } catch (IOException | RuntimeException e) {
            finished = true;
            // The connection failed: it is closed, never reused, even when the answer was whole.
            return ending.failedWith(TransportFailures.classify(deployment, idleTimeout, e));
        }
    }

    @Override
    public boolean ready() {
        return finished || reader.holdsWholeEvent();
    }

    /** @return the next complete event, checked, or null at the end of the body */
    private StreamEvent readEvent() throws IOException, InvalidEvent {
        SseFrameReader.Frame frame = reader.next();
        if (frame == null) {
            return null;
        }
        return switch (shape.check(frame.name(), frame.data())) {
            case StreamEventShape.Checked.Valid valid -> new StreamEvent(valid.type(), frame.data());
            case StreamEventShape.Checked.Invalid invalid -> throw new InvalidEvent(invalid.problem());
        };
    }

    private void drainTrailer() {
        try {
            reader.skipToEnd(MAX_TRAILING_BYTES);
        } catch (IOException | RuntimeException e) {
            // The connection is closed instead of reused; nothing the client needs is lost.
        }
    }

    /** An event that must not be relayed; its message says why without quoting it. */
    private static final class InvalidEvent extends Exception {
        InvalidEvent(String problem) {
            super(problem, null, false, false);
        }
    }

    /**
     * Releases the upstream connection. After a complete answer the body's last chunk is read first, on its own
     * virtual thread: it normally arrives with {@code message_stop}, so the connection is back in the pool before
     * this returns; an upstream that holds its body open is waited for {@link #TRAILER_WAIT} at most, and the
     * connection is closed when the body ends or the read times out.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        finished = true;
        if (!completed) {
            closeConnection();
            return;
        }
        Thread drainer = Thread.ofVirtual().name("keyline-sse-trailer").start(() -> {
            drainTrailer();
            closeConnection();
        });
        try {
            drainer.join(TRAILER_WAIT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void closeConnection() {
        try {
            connection.close();
        } catch (Exception e) {
            // Closing a finished or broken upstream connection has nothing left to report.
        }
    }
}
