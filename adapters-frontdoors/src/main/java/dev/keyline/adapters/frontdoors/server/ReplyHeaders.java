package dev.keyline.adapters.frontdoors.server;

import dev.keyline.domain.deployment.DeploymentId;
import dev.keyline.ports.in.GatewayError;
import dev.keyline.ports.out.UpstreamHeaders;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerResponse;
import java.util.Optional;

/**
 * The headers every front door puts on its answers, so a client learns the same things whichever door it used:
 * which deployment served it, after how many attempts, the upstream's request id and rate-limit figures, and on a
 * refusal the deployment that failed and when to come back.
 */
public final class ReplyHeaders {

    public static final HeaderName DEPLOYMENT = HeaderNames.create("x-keyline-deployment");
    public static final HeaderName ATTEMPTS = HeaderNames.create("x-keyline-attempts");
    /** An upstream's own request id, for its operator's support desk; {@code request-id} is the gateway's. */
    public static final HeaderName UPSTREAM_REQUEST_ID = HeaderNames.create("upstream-request-id");

    private ReplyHeaders() {}

    /** An answer (JSON or the start of a stream) served by {@code servedBy} after {@code attempts} calls. */
    public static void served(ServerResponse res, DeploymentId servedBy, int attempts, UpstreamHeaders upstream) {
        res.header(DEPLOYMENT, servedBy.value());
        res.header(ATTEMPTS, Integer.toString(attempts));
        upstream.values()
                .forEach((name, value) ->
                        res.header(name.equals("request-id") ? UPSTREAM_REQUEST_ID : HeaderNames.create(name), value));
    }

    /** @return the deployment a refusal names, also set as a header, with the refusal's {@code retry-after} */
    public static Optional<String> refused(ServerResponse res, GatewayError error, ErrorReplies.Reply reply) {
        Optional<String> deployment = switch (error) {
            case GatewayError.UnknownModel unknown -> Optional.empty();
            case GatewayError.UpstreamFailed failed ->
                Optional.of(failed.deployment().value());
            case GatewayError.AllCoolingDown cooling -> Optional.empty();
            case GatewayError.AtLimit limited -> Optional.empty();
            case GatewayError.KeyRefused refused -> Optional.empty();
        };
        deployment.ifPresent(id -> res.header(DEPLOYMENT, id));
        reply.retryAfterSeconds().ifPresent(seconds -> res.header(HeaderNames.RETRY_AFTER, Long.toString(seconds)));
        return deployment;
    }
}
