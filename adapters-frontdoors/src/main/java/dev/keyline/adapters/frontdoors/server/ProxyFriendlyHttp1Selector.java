package dev.keyline.adapters.frontdoors.server;

import io.helidon.common.buffers.BufferData;
import io.helidon.webserver.ConnectionContext;
import io.helidon.webserver.http1.Http1Config;
import io.helidon.webserver.http1.Http1ConnectionSelector;
import io.helidon.webserver.spi.ServerConnection;
import io.helidon.webserver.spi.ServerConnectionSelector;
import java.util.Set;

/**
 * Helidon's HTTP/1 connections, made to behave as the proxies put in front of a gateway expect. Helidon 4.5.0
 * answers an HTTP/1.0 request with 505, and nginx's {@code proxy_pass} speaks HTTP/1.0 unless told otherwise (so does
 * HAProxy's default health check); and it answers a {@code Connection: close} request with {@code Connection: close}
 * but then keeps the socket open (fixed in Helidon after 4.5.3, not served here), so a client reading to the end
 * waits. Here an HTTP/1.0 request is served as HTTP/1.1 on a connection that closes after its answer, and any answer
 * that says {@code Connection: close} is followed by the close ({@link ClosingConnectionContext}).
 */
public final class ProxyFriendlyHttp1Selector implements ServerConnectionSelector {

    private static final byte[] HTTP_10 = {' ', 'H', 'T', 'T', 'P', '/', '1', '.', '0', '\r'};
    private static final byte[] HTTP_11 = {' ', 'H', 'T', 'T', 'P', '/', '1', '.', '1', '\r'};

    private final Http1ConnectionSelector http1;

    private ProxyFriendlyHttp1Selector(Http1ConnectionSelector http1) {
        this.http1 = http1;
    }

    /** @return a selector for every HTTP/1.0 and HTTP/1.1 connection, with Helidon's defaults for HTTP/1 */
    public static ProxyFriendlyHttp1Selector create() {
        return new ProxyFriendlyHttp1Selector(
                Http1ConnectionSelector.builder().config(Http1Config.create()).build());
    }

    @Override
    public int bytesToIdentifyConnection() {
        return http1.bytesToIdentifyConnection();
    }

    @Override
    public Support supports(BufferData request) {
        int eol = request.indexOf((byte) '\n');
        if (eol < 0) {
            // No whole request line yet: Helidon's own rule (wait, or give up past its longest prologue).
            return http1.supports(request);
        }
        return endsWith(request, eol, HTTP_11) || endsWith(request, eol, HTTP_10)
                ? Support.SUPPORTED
                : Support.UNSUPPORTED;
    }

    @Override
    public Set<String> supportedApplicationProtocols() {
        return http1.supportedApplicationProtocols();
    }

    @Override
    public ServerConnection connection(ConnectionContext ctx) {
        return http1.connection(new ClosingConnectionContext(ctx));
    }

    /** @return whether the line ending at {@code eol} (its line feed) ends with {@code suffix} */
    static boolean endsWith(BufferData data, int eol, byte[] suffix) {
        int start = eol - suffix.length;
        if (start < 0) {
            return false;
        }
        for (int i = 0; i < suffix.length; i++) {
            if (data.get(start + i) != suffix[i]) {
                return false;
            }
        }
        return true;
    }
}
