package dev.keyline.adapters.wire;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.OptionalLong;

/**
 * Reads a whole HTTP body. With the length it declares, into one array of that size: {@code readAllBytes} starts
 * every body with a 16 KB buffer and copies out of it, and Helidon's entity stream sizes its own buffer by what is
 * asked of it, so for a small request and answer that was most of what the gateway allocated (about 64 of 106 KB per
 * request, measured with JFR). Without a length (chunked), or beyond {@link #EXACT_LIMIT}, as before.
 */
public final class BodyBytes {

    /** Beyond this a declared length is not trusted with one allocation: the body is read as it comes. */
    static final long EXACT_LIMIT = 8L * 1024 * 1024;

    private BodyBytes() {}

    /**
     * @param in       the body; closed here
     * @param declared its {@code content-length}, if any
     * @return the body's bytes (fewer than declared when it ended early)
     */
    public static byte[] readAll(InputStream in, OptionalLong declared) throws IOException {
        try (in) {
            if (declared.isEmpty() || declared.getAsLong() < 0 || declared.getAsLong() > EXACT_LIMIT) {
                return in.readAllBytes();
            }
            byte[] body = new byte[(int) declared.getAsLong()];
            int read = in.readNBytes(body, 0, body.length);
            return read == body.length ? body : Arrays.copyOf(body, read);
        }
    }
}
