package dev.keyline.adapters.frontdoors.server;

import dev.keyline.ports.in.Caller;
import io.helidon.webserver.http.ServerRequest;
import java.util.Objects;

/** Who the key filter found a request to come from, kept in the request's context for the front doors. */
public record Authenticated(Caller caller) {
    public Authenticated {
        Objects.requireNonNull(caller, "'caller' must not be null");
    }

    /** @return the request's caller; the operator when no key filter ran (an open gateway) */
    public static Caller of(ServerRequest req) {
        return req.context().get(Authenticated.class).map(Authenticated::caller).orElse(Caller.OPERATOR);
    }
}
