package dev.keyline.domain.deployment;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Objects;

/**
 * A deployment's {@code api_base}: an absolute http(s) URI without credentials, query or fragment, trailing slashes
 * trimmed. It is the origin a key may go to plus a base path; which path a protocol appends to it (Messages, chat
 * completions, token counts) is the provider adapter's knowledge, not the domain's.
 */
public record Endpoint(URI base) {

    public Endpoint {
        Objects.requireNonNull(base, "'base' must not be null");
        String scheme = base.getScheme() == null ? "" : base.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new IllegalArgumentException("api_base must be an http or https URL: " + safe(base));
        }
        if (base.getHost() == null || base.getHost().isEmpty()) {
            throw new IllegalArgumentException("api_base must name a host: " + safe(base));
        }
        if (base.getRawUserInfo() != null) {
            throw new IllegalArgumentException("api_base must not carry credentials; use api_key");
        }
        if (base.getRawQuery() != null || base.getRawFragment() != null) {
            throw new IllegalArgumentException("api_base must not have a query or fragment: " + safe(base));
        }
        base = URI.create(trimTrailingSlashes(base.toString()));
    }

    /**
     * @param base an absolute URL such as {@code https://api.example.com/anthropic}
     * @return the endpoint
     * @throws IllegalArgumentException if the text is not such a URL
     */
    public static Endpoint parse(String base) {
        Objects.requireNonNull(base, "'base' must not be null");
        try {
            return new Endpoint(new URI(base.strip()));
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("api_base is not a valid URL: " + e.getReason());
        }
    }

    /** @return whether calls to this endpoint go over TLS ({@code https}) */
    public boolean secure() {
        return base.getScheme().equalsIgnoreCase("https");
    }

    /** @return scheme, host and port: the only place this deployment's key may be sent */
    public String origin() {
        int port = base.getPort() != -1 ? base.getPort() : defaultPort(base.getScheme());
        return base.getScheme().toLowerCase(Locale.ROOT) + "://"
                + base.getHost().toLowerCase(Locale.ROOT) + ":" + port;
    }

    private static int defaultPort(String scheme) {
        return scheme.equalsIgnoreCase("https") ? 443 : 80;
    }

    private static String trimTrailingSlashes(String text) {
        String result = text;
        while (result.endsWith("/")) {
            result = result.substring(0, result.length() - 1);
        }
        return result;
    }

    // Error messages show only the scheme and host; a mistyped URL may hold something secret in its path.
    private static String safe(URI uri) {
        return (uri.getScheme() == null ? "" : uri.getScheme() + "://") + (uri.getHost() == null ? "?" : uri.getHost());
    }

    @Override
    public String toString() {
        return base.toString();
    }
}
