package dev.keyline.app.config;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * Where virtual keys, teams and spend are kept ({@code general_settings}): LiteLLM's {@code database_url}
 * ({@code postgresql://…}, or Keyline's {@code sqlite:PATH}), else an embedded SQLite file beside the config, created
 * only when the first key or team is. Keys need the master key, which guards their admin API.
 *
 * @param enabled       whether the gateway issues and accepts virtual keys ({@code virtual_keys}, default on with a
 *                      master key)
 * @param databaseUrl   the configured URL, a secret (it may hold a password)
 * @param embeddedFile  the SQLite file used when no URL is given
 */
public record KeySettings(boolean enabled, Optional<String> databaseUrl, Path embeddedFile) {

    /** The embedded database's file name, beside the config file. */
    public static final String EMBEDDED_FILE = "keyline-keys.db";

    public KeySettings {
        Objects.requireNonNull(databaseUrl, "'databaseUrl' must not be null");
        Objects.requireNonNull(embeddedFile, "'embeddedFile' must not be null");
    }

    public static KeySettings off() {
        return new KeySettings(false, Optional.empty(), Path.of(EMBEDDED_FILE));
    }

    @Override
    public String toString() {
        return "KeySettings[enabled=" + enabled + ", databaseUrl="
                + databaseUrl.map(u -> "****").orElse("none") + ", embeddedFile=" + embeddedFile + "]";
    }
}
