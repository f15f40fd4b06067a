package dev.keyline.domain.deployment;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** How a deployment expects its key: the header that carries it and the prefix in front of it. */
public enum AuthScheme {
    /** {@code x-api-key: <key>}, Anthropic's native scheme. */
    X_API_KEY("x-api-key", "x-api-key", ""),
    /** {@code authorization: Bearer <key>}, used by many Anthropic-compatible hosts. */
    BEARER("bearer", "authorization", "Bearer ");

    private final String configName;
    private final String headerName;
    private final String prefix;

    AuthScheme(String configName, String headerName, String prefix) {
        this.configName = configName;
        this.headerName = headerName;
        this.prefix = prefix;
    }

    /** @return the name used in configuration files */
    public String configName() {
        return configName;
    }

    /** @return the lower-case header name the key travels in */
    public String headerName() {
        return headerName;
    }

    /**
     * @param key the secret
     * @return the header value carrying the key
     */
    public String headerValue(String key) {
        return prefix + key;
    }

    /**
     * @param name a configuration value such as {@code bearer}
     * @return the scheme, or empty when the name is unknown
     */
    public static Optional<AuthScheme> fromConfigName(String name) {
        String wanted = name.strip().toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(s -> s.configName.equals(wanted)).findFirst();
    }
}
