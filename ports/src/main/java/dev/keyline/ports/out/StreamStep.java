package dev.keyline.ports.out;

import dev.keyline.domain.failure.ProviderFailure;
import dev.keyline.domain.message.MessageEvent;
import dev.keyline.domain.message.StreamEvent;
import java.util.Objects;

/** What reading an {@link EventStream} produced. */
public sealed interface StreamStep {

    /** One event, framed, typed or both (see {@link UpstreamEvent}). */
    record Event(UpstreamEvent event) implements StreamStep {
        public Event {
            Objects.requireNonNull(event, "'event' must not be null");
        }

        /** @param frame an event as an Anthropic-compatible upstream framed it */
        public Event(StreamEvent frame) {
            this(new UpstreamEvent.Framed(frame));
        }

        /** @param typed an event built by an adapter or the gateway */
        public Event(MessageEvent typed) {
            this(new UpstreamEvent.Typed(typed));
        }
    }

    /** The upstream finished the stream properly ({@code message_stop}, or an {@code error} event it sent). */
    record End() implements StreamStep {}

    /** The stream stopped before it was complete: a cut connection, a timeout, an unreadable frame. */
    record Broken(ProviderFailure failure) implements StreamStep {
        public Broken {
            Objects.requireNonNull(failure, "'failure' must not be null");
        }
    }
}
