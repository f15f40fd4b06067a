package dev.keyline.application.messages;

import dev.keyline.ports.out.EventStream;
import dev.keyline.ports.out.StreamStep;

/** A relayed stream that ends its deployment's in-flight count when it is closed. */
record ReleasingEventStream(EventStream events, Runnable release) implements EventStream {

    @Override
    public StreamStep next() {
        return events.next();
    }

    @Override
    public boolean ready() {
        return events.ready();
    }

    @Override
    public void close() {
        try {
            events.close();
        } finally {
            release.run();
        }
    }
}
