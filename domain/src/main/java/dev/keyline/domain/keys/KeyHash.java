package dev.keyline.domain.keys;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The SHA-256 of a virtual key, the only form in which a key is stored. It identifies the key in the store and the
 * admin API, but is kept out of logs, errors and metrics (aliases go there): its {@code toString} shows none of it.
 *
 * @param hex 64 lowercase hex digits
 */
public record KeyHash(String hex) {

    private static final Pattern HEX = Pattern.compile("[0-9a-f]{64}");

    public KeyHash {
        Objects.requireNonNull(hex, "'hex' must not be null");
        if (!HEX.matcher(hex).matches()) {
            throw new IllegalArgumentException("a key hash is 64 lowercase hex digits");
        }
    }

    /** @return the hash of a key as presented */
    public static KeyHash of(String key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            return new KeyHash(HexFormat.of().formatHex(digest));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /** @return whether a text has the shape of a hash (the admin API takes a key or its hash) */
    public static boolean looksLikeHash(String text) {
        return HEX.matcher(text).matches();
    }

    @Override
    public String toString() {
        return "KeyHash[****]";
    }
}
