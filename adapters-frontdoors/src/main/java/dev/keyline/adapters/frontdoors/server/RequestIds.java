package dev.keyline.adapters.frontdoors.server;

import dev.keyline.ports.in.RequestId;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;
import io.helidon.webserver.http.ServerRequest;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Gives every request its id: the client's own {@code x-request-id} when it is safe to log, else a new one. The id is
 * returned as {@code request-id} (an upstream's own id goes back as {@code upstream-request-id}) and kept in the
 * request's context, where the front doors find it for their log lines.
 */
public final class RequestIds implements Filter {

    /** The header the gateway's id is returned in, as Anthropic's API names its own. */
    public static final HeaderName REQUEST_ID = HeaderNames.create("request-id");

    private static final HeaderName X_REQUEST_ID = HeaderNames.create("x-request-id");

    @Override
    public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        RequestId id = req.headers()
                .first(X_REQUEST_ID)
                .flatMap(RequestId::offered)
                .orElseGet(() -> RequestId.random(ThreadLocalRandom.current()));
        req.context().register(id);
        res.header(REQUEST_ID, id.value());
        chain.proceed();
    }

    /** @return the id {@link RequestIds} gave the request (a new one when the filter did not run) */
    public static RequestId of(ServerRequest req) {
        return req.context().get(RequestId.class).orElseGet(() -> RequestId.random(ThreadLocalRandom.current()));
    }
}
