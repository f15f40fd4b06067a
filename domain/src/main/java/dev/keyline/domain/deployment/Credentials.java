package dev.keyline.domain.deployment;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Objects;
import java.util.Optional;

/**
 * A secret key, or the explicit absence of one. Its {@code toString} never shows the key, so a credential that
 * ends up in a log line, an exception or a record's {@code toString} stays secret.
 */
public final class Credentials {

    private static final Credentials NONE = new Credentials(null);
    private static final String MASK = "****";

    private final String secret;

    private Credentials(String secret) {
        this.secret = secret;
    }

    /**
     * @param secret the key; must not be null or blank
     * @return credentials holding the key
     * @throws IllegalArgumentException if the key is blank or contains a line break
     */
    public static Credentials of(String secret) {
        Objects.requireNonNull(secret, "'secret' must not be null");
        if (secret.isBlank()) {
            throw new IllegalArgumentException("a key must not be blank");
        }
        if (secret.indexOf('\r') >= 0 || secret.indexOf('\n') >= 0) {
            throw new IllegalArgumentException("a key must not contain a line break");
        }
        return new Credentials(secret.strip());
    }

    /** @return credentials for an endpoint that needs no key */
    public static Credentials none() {
        return NONE;
    }

    public boolean isPresent() {
        return secret != null;
    }

    /**
     * The key itself, for the one place that puts it on the wire.
     *
     * @return the key, or empty for {@link #none()}
     */
    public Optional<String> reveal() {
        return Optional.ofNullable(secret);
    }

    /**
     * Compares a presented key with this one in time independent of where they differ.
     *
     * @param presented the key a caller presented; may be null
     * @return true when this holds a key and it equals {@code presented}
     */
    public boolean matches(String presented) {
        if (secret == null || presented == null) {
            return false;
        }
        return MessageDigest.isEqual(
                secret.getBytes(StandardCharsets.UTF_8), presented.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Masks every occurrence of this key in a text that is about to leave the gateway (an upstream's error body
     * that echoes the key, say).
     *
     * @param text any text; must not be null
     * @return the text with the key replaced by a mask
     */
    public String redactFrom(String text) {
        Objects.requireNonNull(text, "'text' must not be null");
        return secret == null ? text : text.replace(secret, MASK);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Credentials that && Objects.equals(secret, that.secret);
    }

    @Override
    public int hashCode() {
        return Objects.hashCode(secret);
    }

    @Override
    public String toString() {
        return secret == null ? "Credentials[none]" : "Credentials[" + MASK + "]";
    }
}
