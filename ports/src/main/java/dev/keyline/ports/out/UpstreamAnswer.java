package dev.keyline.ports.out;

import dev.keyline.domain.message.MessageResponse;
import dev.keyline.domain.message.Usage;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * An upstream's JSON answer. Most answers already have the shape Keyline would write (a Messages response with every
 * member a client reads, nothing to normalise): those are kept as the upstream's bytes, checked and their usage read
 * without building the message, which is decoded only if something needs it (a search loop, the chat door). The
 * rest are decoded at once, as every answer used to be.
 */
public sealed interface UpstreamAnswer {

    /** @return the answer's token and server-tool counts (a verbatim answer's other usage members are not read) */
    Usage usage();

    /** @return the message; a verbatim answer is decoded on the first call */
    MessageResponse message();

    /** An answer decoded into the domain: one that needed normalising, or one a translating adapter built. */
    record Decoded(MessageResponse message) implements UpstreamAnswer {
        public Decoded {
            Objects.requireNonNull(message, "'message' must not be null");
        }

        @Override
        public Usage usage() {
            return message.usage();
        }
    }

    /**
     * An answer whose bytes already have the normalised shape, so they can be written to a Messages client as they
     * came. The array is not copied: nobody may change it.
     *
     * @param bytes   the upstream's body, checked to have the shape a decode-and-encode would give it
     * @param usage   its counts, read in that check
     * @param decoder decodes {@code bytes} (once: the adapter's supplier keeps what it decoded); it cannot fail on
     *                bytes that passed the check
     */
    record Verbatim(byte[] bytes, Usage usage, Supplier<MessageResponse> decoder) implements UpstreamAnswer {
        public Verbatim {
            Objects.requireNonNull(bytes, "'bytes' must not be null");
            Objects.requireNonNull(usage, "'usage' must not be null");
            Objects.requireNonNull(decoder, "'decoder' must not be null");
        }

        @Override
        public MessageResponse message() {
            return decoder.get();
        }
    }
}
