package dev.keyline.domain.deployment;

import java.util.Locale;
import java.util.Objects;

/**
 * How a deployment presents its key. Which schemes a provider accepts, and under which configuration names, is the
 * provider's own fact (its descriptor in the provider registry); the domain only knows the shapes a scheme can take.
 * A scheme that is not a header (a signed request, a minted token) is a new permitted type, and every place that
 * presents a key then fails to compile until it handles it.
 */
public sealed interface AuthScheme {

    /** {@code x-api-key: <key>}, Anthropic's native scheme. */
    AuthScheme X_API_KEY = new KeyHeader("x-api-key", "");

    /** {@code authorization: Bearer <key>}, OpenAI's, and used by many Anthropic-compatible hosts. */
    AuthScheme BEARER = new KeyHeader("authorization", "Bearer ");

    /**
     * The key sent as it is, behind a prefix, in one request header.
     *
     * @param name   the lower-case header name
     * @param prefix what comes before the key ({@code "Bearer "}, or nothing)
     */
    record KeyHeader(String name, String prefix) implements AuthScheme {
        public KeyHeader {
            Objects.requireNonNull(name, "'name' must not be null");
            Objects.requireNonNull(prefix, "'prefix' must not be null");
            if (name.isBlank() || !name.equals(name.strip().toLowerCase(Locale.ROOT))) {
                throw new IllegalArgumentException("a key header's name must be lower-case, was '" + name + "'");
            }
        }

        /**
         * @param key the secret
         * @return the header value carrying the key
         */
        public String value(String key) {
            return prefix + key;
        }

        @Override
        public String toString() {
            return prefix.isEmpty() ? name + ": <key>" : name + ": " + prefix + "<key>";
        }
    }
}
