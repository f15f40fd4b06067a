package dev.keyline.adapters.providers.common;

import dev.keyline.ports.out.UpstreamHeaders;
import io.helidon.http.ClientResponseHeaders;
import io.helidon.http.Header;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** Picks the upstream response headers a client benefits from seeing: its request id and rate-limit figures. */
public final class RelayedHeaders {

    private RelayedHeaders() {}

    public static UpstreamHeaders from(ClientResponseHeaders headers) {
        Map<String, String> relayed = new LinkedHashMap<>();
        for (Header header : headers) {
            String name = header.name().toLowerCase(Locale.ROOT);
            if (name.equals("request-id") || name.startsWith("anthropic-ratelimit-")) {
                relayed.put(name, header.get());
            }
        }
        return new UpstreamHeaders(relayed);
    }
}
