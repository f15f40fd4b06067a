package dev.keyline.adapters.state.redis;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Where a fleet's shared state lives, and how long a request may wait for it. {@link #toString()} never shows the
 * password.
 *
 * @param host      the Redis host
 * @param port      its port
 * @param user      an ACL user, when not the default one
 * @param password  the password, when Redis asks for one
 * @param tls       whether to speak TLS ({@code rediss://})
 * @param database  the database number
 * @param timeout   the longest a request waits on one Redis call (connect or answer) before going on without it
 * @param keyPrefix the start of every key, so several fleets can share one Redis
 * @param authorities with TLS, the CA bundle Redis's certificate must be signed by ({@code redis_ssl_ca_certs}); the
 *                  JVM's trusted CAs when empty. The host name is checked either way.
 */
public record RedisEndpoint(
        String host,
        int port,
        Optional<String> user,
        Optional<String> password,
        boolean tls,
        int database,
        Duration timeout,
        String keyPrefix,
        Optional<Path> authorities) {

    public static final int DEFAULT_PORT = 6379;
    public static final Duration DEFAULT_TIMEOUT = Duration.ofMillis(100);
    public static final String DEFAULT_PREFIX = "keyline";

    /** An endpoint whose certificate, with TLS, is checked against the JVM's trusted CAs. */
    public RedisEndpoint(
            String host,
            int port,
            Optional<String> user,
            Optional<String> password,
            boolean tls,
            int database,
            Duration timeout,
            String keyPrefix) {
        this(host, port, user, password, tls, database, timeout, keyPrefix, Optional.empty());
    }

    public RedisEndpoint {
        Objects.requireNonNull(host, "'host' must not be null");
        if (host.isBlank()) {
            throw new IllegalArgumentException("the Redis host must not be blank");
        }
        if (port < 1 || port > 65_535) {
            throw new IllegalArgumentException("the Redis port must be 1 to 65535, was " + port);
        }
        Objects.requireNonNull(user, "'user' must not be null");
        Objects.requireNonNull(password, "'password' must not be null");
        if (database < 0) {
            throw new IllegalArgumentException("the Redis database must not be negative, was " + database);
        }
        Objects.requireNonNull(timeout, "'timeout' must not be null");
        if (timeout.isNegative() || timeout.isZero() || timeout.compareTo(Duration.ofSeconds(10)) > 0) {
            throw new IllegalArgumentException(
                    "the Redis timeout must be more than 0 and at most 10 s, was " + timeout);
        }
        Objects.requireNonNull(keyPrefix, "'keyPrefix' must not be null");
        Objects.requireNonNull(authorities, "'authorities' must not be null");
        if (authorities.isPresent() && !tls) {
            throw new IllegalArgumentException("a CA bundle is for a TLS connection: use a rediss:// URL");
        }
        if (!keyPrefix.matches("[A-Za-z0-9_.:-]{1,64}")) {
            throw new IllegalArgumentException(
                    "the Redis key prefix must be 1 to 64 letters, digits or _ . : -, was '" + keyPrefix + "'");
        }
    }

    /**
     * Reads {@code redis://[user:password@]host[:port][/db]} or {@code rediss://…}.
     *
     * @throws IllegalArgumentException when the URL is not one; the message never repeats the password
     */
    public static RedisEndpoint fromUrl(String url, Duration timeout, String keyPrefix) {
        URI uri;
        try {
            uri = new URI(Objects.requireNonNull(url, "'url' must not be null").strip());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("not a redis:// or rediss:// URL");
        }
        String scheme = Optional.ofNullable(uri.getScheme()).orElse("");
        if (!scheme.equals("redis") && !scheme.equals("rediss")) {
            throw new IllegalArgumentException("the Redis URL must start with redis:// or rediss://, was " + scheme
                    + (scheme.isEmpty() ? "(none)" : "://"));
        }
        if (uri.getHost() == null) {
            throw new IllegalArgumentException("the Redis URL names no host");
        }
        Optional<String> user = Optional.empty();
        Optional<String> password = Optional.empty();
        if (uri.getRawUserInfo() != null) {
            String info = uri.getRawUserInfo();
            int colon = info.indexOf(':');
            String name = colon < 0 ? "" : decode(info.substring(0, colon));
            password = Optional.of(decode(colon < 0 ? info : info.substring(colon + 1)))
                    .filter(p -> !p.isEmpty());
            user = Optional.of(name).filter(n -> !n.isEmpty());
        }
        String path = Optional.ofNullable(uri.getPath()).orElse("").replaceFirst("^/", "");
        int database;
        try {
            database = path.isEmpty() ? 0 : Integer.parseInt(path);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("the Redis URL's path must be a database number, was /" + path);
        }
        return new RedisEndpoint(
                uri.getHost(),
                uri.getPort() < 0 ? DEFAULT_PORT : uri.getPort(),
                user,
                password,
                scheme.equals("rediss"),
                database,
                timeout,
                keyPrefix);
    }

    /**
     * @param bundle the CA bundle Redis's certificate must be signed by
     * @return this endpoint, trusting only those CAs
     */
    public RedisEndpoint trusting(Path bundle) {
        return new RedisEndpoint(host, port, user, password, tls, database, timeout, keyPrefix, Optional.of(bundle));
    }

    private static String decode(String part) {
        return URLDecoder.decode(part, StandardCharsets.UTF_8);
    }

    /** @return the address for logs: {@code redis://host:port/db}, no user, no password */
    public String address() {
        return (tls ? "rediss://" : "redis://") + (host.contains(":") ? "[" + host + "]" : host) + ":" + port
                + (database == 0 ? "" : "/" + database);
    }

    @Override
    public String toString() {
        return "RedisEndpoint[" + address() + ", password " + (password.isPresent() ? "set" : "none") + ", timeout "
                + timeout.toMillis() + " ms, prefix " + keyPrefix + "]";
    }
}
