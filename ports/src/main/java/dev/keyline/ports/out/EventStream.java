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

    @Override
    void close();
}
