package dev.keyline.adapters.frontdoors.server;

import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerResponse;

/** The headers of a streamed answer on either front door. */
public final class EventStreamHeaders {

    /**
     * nginx buffers a proxied answer by default (proxy_buffering on), which would hold streamed events back until a
     * buffer fills; this header turns that off for the one response, with no change to the proxy's configuration.
     */
    private static final HeaderName X_ACCEL_BUFFERING = HeaderNames.create("X-Accel-Buffering");

    private EventStreamHeaders() {}

    /** Marks {@code res} as a server-sent event stream that no cache or proxy may hold back. */
    public static void set(ServerResponse res) {
        res.header(HeaderNames.CONTENT_TYPE, "text/event-stream; charset=utf-8");
        res.header(HeaderNames.CACHE_CONTROL, "no-cache");
        res.header(X_ACCEL_BUFFERING, "no");
    }
}
