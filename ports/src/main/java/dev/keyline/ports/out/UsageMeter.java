package dev.keyline.ports.out;

import dev.keyline.domain.deployment.Deployment;
import dev.keyline.domain.deployment.DeploymentId;
import java.time.Duration;
import java.time.Instant;

/**
 * Outgoing port that counts each deployment's traffic against its limits ({@code rpm}, {@code tpm},
 * {@code max_parallel_requests}): requests and tokens in the current minute (fixed windows on the epoch minute),
 * and calls in flight. One meter may be shared by several gateways, so the limits hold for the fleet. Safe for
 * concurrent use.
 */
public interface UsageMeter {

    /** How long a minute window's counts are kept. */
    Duration WINDOW = Duration.ofMinutes(1);

    /**
     * Admits a call when the deployment is under every limit, counting it as a request of this minute and a call in
     * flight, in one atomic step.
     *
     * @param deployment the deployment to call; must not be null
     * @return the admission, whose {@code leave} ends the call's in-flight count, or the limit it is at
     */
    Admission admit(Deployment deployment);

    /**
     * Counts a call that goes ahead whatever the limits say (a search loop's follow-up, part of a request already
     * admitted).
     *
     * @param deployment the deployment called; must not be null
     * @return the action that ends the call's in-flight count; running it more than once has no further effect
     */
    Runnable enter(Deployment deployment);

    /**
     * Adds the tokens of a finished call (input and output) to the deployment's minute.
     *
     * @param deployment the deployment that served it; must not be null
     * @param tokens     tokens used; zero or more
     */
    void addTokens(Deployment deployment, long tokens);

    /**
     * @param deployment a deployment; must not be null
     * @return its calls in flight now (on every gateway sharing this meter, as recently as the meter knows)
     */
    int inFlight(DeploymentId deployment);

    /** @return the minute window a moment falls in (minutes since the epoch) */
    static long minute(Instant now) {
        return Math.floorDiv(now.getEpochSecond(), WINDOW.toSeconds());
    }

    /** @return the time from a moment to the start of the next minute window */
    static Duration untilNextMinute(Instant now) {
        return Duration.between(now, Instant.ofEpochSecond((minute(now) + 1) * WINDOW.toSeconds()));
    }
}
