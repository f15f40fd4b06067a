package dev.keyline.ports.out;

import dev.keyline.domain.keys.Budget;
import dev.keyline.domain.keys.Limits;
import dev.keyline.domain.keys.Usd;

/**
 * Outgoing port with the counters that virtual keys and teams are held to on every request: spend per budget period,
 * and requests, tokens and calls in flight per minute. Kept in memory for one replica or in Redis for a fleet, so a
 * budget holds across replicas without a database round trip per request. Owners are opaque names
 * ({@code key:<hash>}, {@code team:<id>}), never shown. Safe for concurrent use.
 */
public interface KeyCounters {

    /** @return the owner's spend in a budget period */
    Usd spent(String owner, Budget.Window period);

    /** Adds to the owner's spend in a budget period (kept until a day after the period ends). */
    void addSpend(String owner, Budget.Window period, Usd cost);

    /**
     * Sets the owner's spend in a period when it has none yet (after a restart, from the spend log), so a budget
     * survives restarts; a counter already there is left alone.
     */
    void seedSpend(String owner, Budget.Window period, Usd spent);

    /**
     * Admits a request when the owner is under each of its limits, counting it (a request of this minute, a call in
     * flight) in one step.
     *
     * @return the admission, whose {@code leave} ends the call's in-flight count, or the limit it is at
     */
    Admission admit(String owner, Limits limits);

    /** Adds a finished request's tokens to the owner's minute. */
    void addTokens(String owner, long tokens);
}
