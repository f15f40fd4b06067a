package dev.keyline.adapters.frontdoors.server;

import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;
import io.helidon.webserver.http.ServerRequest;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Gives every request its place in a trace: it joins the client's {@code traceparent} when one came, else starts a
 * trace; kept in the request's context, where its journal finds it.
 */
public final class RequestTraces implements Filter {

    private static final HeaderName TRACEPARENT = HeaderNames.create("traceparent");

    private final boolean exported;

    /** @param exported whether the gateway exports spans (its upstream calls then send their own) */
    public RequestTraces(boolean exported) {
        this.exported = exported;
    }

    @Override
    public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        req.context()
                .register(TraceContext.of(req.headers().first(TRACEPARENT), exported, ThreadLocalRandom.current()));
        chain.proceed();
    }

    /** @return the request's trace context; a new, unexported one when the filter did not run */
    public static TraceContext of(ServerRequest req) {
        return req.context()
                .get(TraceContext.class)
                .orElseGet(() -> TraceContext.of(Optional.empty(), false, ThreadLocalRandom.current()));
    }
}
