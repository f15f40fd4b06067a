package dev.keyline.ports.in;

import java.util.Objects;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * The id a request is known by in every log line about it and in the {@code request-id} the client gets back.
 *
 * @param value letters, digits and {@code _ . : -}, 1 to 64 of them: safe in a log line and a header
 */
public record RequestId(String value) {

    private static final int MAX_LENGTH = 64;
    private static final char[] DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz".toCharArray();

    public RequestId {
        Objects.requireNonNull(value, "'value' must not be null");
        if (!safe(value)) {
            throw new IllegalArgumentException("a request id is 1 to 64 letters, digits, '_', '.', ':' or '-'");
        }
    }

    /** @return a new id, {@code req_} and 24 random base-36 characters (about 124 bits) */
    public static RequestId random(RandomGenerator random) {
        char[] id = new char[28];
        id[0] = 'r';
        id[1] = 'e';
        id[2] = 'q';
        id[3] = '_';
        for (int i = 4; i < id.length; i++) {
            id[i] = DIGITS[random.nextInt(DIGITS.length)];
        }
        return new RequestId(new String(id));
    }

    /**
     * @param offered an id a client sent ({@code x-request-id}), to tie the gateway's lines to its own
     * @return it as an id when it is safe to log and return, else empty
     */
    public static Optional<RequestId> offered(String offered) {
        return offered != null && safe(offered) ? Optional.of(new RequestId(offered)) : Optional.empty();
    }

    /** A loop rather than a regular expression: it runs for every request, and a match allocated a matcher. */
    private static boolean safe(String text) {
        int length = text.length();
        if (length == 0 || length > MAX_LENGTH) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            char c = text.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z')
                    || (c >= 'A' && c <= 'Z')
                    || (c >= '0' && c <= '9')
                    || c == '_'
                    || c == '.'
                    || c == ':'
                    || c == '-';
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return value;
    }
}
