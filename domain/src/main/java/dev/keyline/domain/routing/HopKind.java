package dev.keyline.domain.routing;

/** Who built the upstream call: the client (a relayed request) or the gateway itself (a loop's follow-up). */
public enum HopKind {
    /** The client's own request, relayed. */
    CLIENT_REQUEST,
    /**
     * A call the gateway composed (a web-search follow-up). Only the upstream's own trouble (rate limits, server
     * errors, timeouts) counts against the deployment; a refusal may be the gateway's mistake.
     */
    GATEWAY_FOLLOW_UP
}
