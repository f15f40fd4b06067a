package dev.keyline.ports.out;

/**
 * A Messages event stream being read from an upstream, one event at a time as it arrives. Closing it releases the
 * upstream connection, also when the stream was not read to its end.
 */
public interface EventStream extends AutoCloseable {

    /**
     * Blocks until the next event arrives, the stream ends, or it breaks.
     *
     * @return the next step; after {@link StreamStep.End} or {@link StreamStep.Broken} the stream is finished
     */
    StreamStep next();

    /**
     * Whether {@link #next()} would return without waiting: an event already read whole, or the end. A writer may
     * then hold its flush and send several events in one write; when in doubt the answer is false, so an event
     * is never held back waiting for one that has not arrived.
     *
     * @return true only when the next step is already here
     */
    default boolean ready() {
        return false;
    }

    @Override
    void close();
}
