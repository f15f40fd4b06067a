package dev.keyline.adapters.providers.common;

import dev.keyline.ports.out.EventStream;
import dev.keyline.ports.out.StreamStep;

/** An event stream whose first step was read ahead (to see that the stream really started) and is replayed. */
public final class PrefetchedEventStream implements EventStream {

    private final EventStream rest;
    private StreamStep first;

    public PrefetchedEventStream(StreamStep first, EventStream rest) {
        this.first = first;
        this.rest = rest;
    }

    @Override
    public StreamStep next() {
        if (first != null) {
            StreamStep step = first;
            first = null;
            return step;
        }
        return rest.next();
    }

    @Override
    public boolean ready() {
        return first != null || rest.ready();
    }

    @Override
    public void close() {
        rest.close();
    }
}
