package dev.keyline.adapters.database;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * Where the keys and spend live, read from {@code general_settings.database_url}: LiteLLM's
 * {@code postgresql://user:password@host:port/db} (or {@code postgres://}), or {@code sqlite:PATH} for an embedded
 * file. Its {@code toString} never shows the password.
 */
public sealed interface DatabaseUrl {

    /** @return the URL as logs may show it */
    String describe();

    /** An embedded SQLite file. */
    record Sqlite(Path file) implements DatabaseUrl {
        public Sqlite {
            Objects.requireNonNull(file, "'file' must not be null");
        }

        public String jdbc() {
            return "jdbc:sqlite:" + file;
        }

        @Override
        public String describe() {
            return "sqlite:" + file;
        }
    }

    /** A PostgreSQL server. */
    record Postgres(String jdbc, Optional<String> user, Optional<String> password) implements DatabaseUrl {
        public Postgres {
            Objects.requireNonNull(jdbc, "'jdbc' must not be null");
            Objects.requireNonNull(user, "'user' must not be null");
            Objects.requireNonNull(password, "'password' must not be null");
        }

        @Override
        public String describe() {
            return jdbc.replaceFirst("^jdbc:", "") + user.map(u -> " as " + u).orElse("");
        }

        @Override
        public String toString() {
            return "Postgres[" + describe() + "]";
        }
    }

    /**
     * @param text    the configured URL
     * @param baseDir where a relative SQLite path is taken from (the config file's folder)
     * @throws IllegalArgumentException naming what is wrong, never echoing a password
     */
    static DatabaseUrl parse(String text, Path baseDir) {
        String url = text.strip();
        if (url.startsWith("sqlite:")) {
            String path = url.substring("sqlite:".length()).replaceFirst("^//", "");
            if (path.isBlank()) {
                throw new IllegalArgumentException("database_url 'sqlite:' needs a file path, e.g. sqlite:keyline.db");
            }
            return new Sqlite(baseDir.resolve(path).toAbsolutePath().normalize());
        }
        if (url.startsWith("postgresql://") || url.startsWith("postgres://")) {
            URI uri;
            try {
                uri = new URI(url);
            } catch (URISyntaxException e) {
                throw new IllegalArgumentException("database_url is not a valid postgresql:// URL");
            }
            if (uri.getHost() == null || uri.getPath() == null || uri.getPath().length() < 2) {
                throw new IllegalArgumentException(
                        "database_url must name a host and a database: postgresql://user:password@host:5432/db");
            }
            Optional<String> user = Optional.empty();
            Optional<String> password = Optional.empty();
            if (uri.getRawUserInfo() != null) {
                String[] parts = uri.getRawUserInfo().split(":", 2);
                user = Optional.of(decode(parts[0]));
                if (parts.length == 2) {
                    password = Optional.of(decode(parts[1]));
                }
            }
            String jdbc = "jdbc:postgresql://" + uri.getHost() + (uri.getPort() > 0 ? ":" + uri.getPort() : "")
                    + uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
            return new Postgres(jdbc, user, password);
        }
        throw new IllegalArgumentException(
                "database_url must start with postgresql:// (or postgres://) or sqlite:; got '"
                        + (url.contains("@") ? url.substring(url.indexOf('@') + 1) : url) + "'");
    }

    private static String decode(String part) {
        return URLDecoder.decode(part, StandardCharsets.UTF_8);
    }
}
