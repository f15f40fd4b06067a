package dev.keyline.ports.out;

import dev.keyline.domain.message.MessageEvent;
import dev.keyline.domain.message.StreamEvent;
import java.util.Objects;

/**
 * One event of a Messages stream as it travels from an adapter to a front door: the frame an Anthropic-compatible
 * upstream sent (relayed as its bytes, read only where someone must look into it), the typed event an adapter or
 * the gateway built (framed only if a Messages client is to get it), or both once one was made from the other. No
 * event is parsed, written and parsed again between layers: {@link MessageEventCodec#typed} and
 * {@link MessageEventCodec#framed} convert only what is missing.
 */
public sealed interface UpstreamEvent {

    /** @return the event's name on the wire ({@code message_start}, {@code ping}, {@code error}, …) */
    String type();

    /** As an Anthropic-compatible upstream framed it, not yet read. */
    record Framed(StreamEvent frame) implements UpstreamEvent {
        public Framed {
            Objects.requireNonNull(frame, "'frame' must not be null");
        }

        @Override
        public String type() {
            return frame.type();
        }
    }

    /** Built by an adapter that translates another protocol, or by the gateway itself; no frame yet. */
    record Typed(MessageEvent event) implements UpstreamEvent {
        public Typed {
            Objects.requireNonNull(event, "'event' must not be null");
        }

        @Override
        public String type() {
            return event.type();
        }
    }

    /** A frame that was read: its bytes for a verbatim relay, its type for everyone else. */
    record Decoded(StreamEvent frame, MessageEvent event) implements UpstreamEvent {
        public Decoded {
            Objects.requireNonNull(frame, "'frame' must not be null");
            Objects.requireNonNull(event, "'event' must not be null");
        }

        @Override
        public String type() {
            return frame.type();
        }
    }
}
