package dev.keyline.domain.message;

import java.util.Objects;
import java.util.Optional;

/**
 * A Messages stream event, typed. Adapters that translate another protocol yield these directly, and the code that
 * looks into a stream (usage metering, the web-search loop, the chat door) reads them; plain relaying of an
 * Anthropic-compatible upstream passes its {@link StreamEvent} frames through without reading them.
 */
public sealed interface MessageEvent {

    /** @return the event's name on the wire ({@code message_start}, …; an {@link Other}'s own) */
    default String type() {
        return switch (this) {
            case MessageStart start -> "message_start";
            case BlockStart start -> "content_block_start";
            case BlockDelta delta -> "content_block_delta";
            case BlockStop stop -> "content_block_stop";
            case MessageDelta delta -> "message_delta";
            case MessageStop stop -> "message_stop";
            case Other other -> other.event().type();
        };
    }

    /** {@code message_start}: the message with empty content and the input usage. */
    record MessageStart(MessageResponse message) implements MessageEvent {
        public MessageStart {
            Objects.requireNonNull(message, "'message' must not be null");
        }
    }

    /** {@code content_block_start}: a block opens at {@code index}. */
    record BlockStart(int index, ContentBlock block) implements MessageEvent {
        public BlockStart {
            Objects.requireNonNull(block, "'block' must not be null");
        }
    }

    /** {@code content_block_delta}. */
    record BlockDelta(int index, Delta delta) implements MessageEvent {
        public BlockDelta {
            Objects.requireNonNull(delta, "'delta' must not be null");
        }
    }

    /** {@code content_block_stop}. */
    record BlockStop(int index) implements MessageEvent {}

    /** {@code message_delta}: the stop reason and the usage so far (cumulative). */
    record MessageDelta(Optional<String> stopReason, Optional<String> stopSequence, Usage usage)
            implements MessageEvent {
        public MessageDelta {
            Objects.requireNonNull(stopReason, "'stopReason' must not be null");
            Objects.requireNonNull(stopSequence, "'stopSequence' must not be null");
            Objects.requireNonNull(usage, "'usage' must not be null");
        }
    }

    /** {@code message_stop}. */
    record MessageStop() implements MessageEvent {}

    /** {@code ping}, {@code error} and any event type this gateway does not model, kept as it came. */
    record Other(StreamEvent event) implements MessageEvent {
        public Other {
            Objects.requireNonNull(event, "'event' must not be null");
        }
    }

    /** What a {@link BlockDelta} adds to its block. */
    sealed interface Delta {
        record Text(String text) implements Delta {
            public Text {
                Objects.requireNonNull(text, "'text' must not be null");
            }
        }

        record InputJson(String partialJson) implements Delta {
            public InputJson {
                Objects.requireNonNull(partialJson, "'partialJson' must not be null");
            }
        }

        record Thinking(String thinking) implements Delta {
            public Thinking {
                Objects.requireNonNull(thinking, "'thinking' must not be null");
            }
        }

        record Signature(String signature) implements Delta {
            public Signature {
                Objects.requireNonNull(signature, "'signature' must not be null");
            }
        }

        record Citation(RawJson citation) implements Delta {
            public Citation {
                Objects.requireNonNull(citation, "'citation' must not be null");
            }
        }

        /** A delta type this gateway does not model, kept whole. */
        record Other(RawJson raw) implements Delta {
            public Other {
                Objects.requireNonNull(raw, "'raw' must not be null");
            }
        }
    }
}
