package dev.keyline.adapters.frontdoors.server;

import java.util.Locale;

/** How a relayed stream ended, as both doors' access lines name it. */
public enum StreamOutcome {
    COMPLETED,
    UPSTREAM_BROKE,
    CLIENT_LEFT;

    /** @return the access line's mode: {@code sse completed}, {@code sse upstream_broke}, {@code sse client_left} */
    public String logMode() {
        return "sse " + name().toLowerCase(Locale.ROOT);
    }
}
