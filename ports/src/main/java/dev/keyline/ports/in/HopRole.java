package dev.keyline.ports.in;

import java.util.Locale;

/** Why the gateway made an upstream call, in a request's journal. */
public enum HopRole {
    /** The request's first call. */
    FIRST,
    /** Another call in the same model group, after a failure. */
    RETRY,
    /** The first call in a fallback group. */
    FALLBACK,
    /** A web-search loop's follow-up, to the deployment its first hop bound (or a retry of one). */
    FOLLOW_UP,
    /** A call that continues a streamed answer whose upstream broke off after the client got part of it. */
    RESUME;

    /** @return the role in lower case ({@code first}, {@code follow_up}, …), as logs and traces name it */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
