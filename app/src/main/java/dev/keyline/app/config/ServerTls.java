package dev.keyline.app.config;

import java.nio.file.Path;
import java.util.Objects;

/**
 * The front door's certificate and key ({@code general_settings.ssl_certfile_path} and {@code ssl_keyfile_path},
 * LiteLLM's keys, or the flags of the same names): with them Keyline serves HTTPS only.
 *
 * @param certificate a PEM file: the server's certificate, then any intermediates
 * @param key         a PEM file: its private key (PKCS#8, or PKCS#1 for RSA), unencrypted
 */
public record ServerTls(Path certificate, Path key) {
    public ServerTls {
        Objects.requireNonNull(certificate, "'certificate' must not be null");
        Objects.requireNonNull(key, "'key' must not be null");
    }
}
