package dev.keyline.conformance.kit;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.HashMap;
import java.util.Map;

/**
 * Keeps each case from starting in a state an earlier case left: after a case failed a hop on a group of several
 * deployments (which a gateway may rightly rest), the next case on that group waits until the gateway's declared
 * cooldown has passed. A lone deployment is never rested, so its group never waits.
 */
final class GroupRests {

    /** How the kit waits; a test gives its own. */
    interface Sleeper {
        void sleep(Duration duration) throws InterruptedException;
    }

    private final FakeUpstreams fakes;
    private final Duration cooldown;
    private final InstantSource clock;
    private final Sleeper sleeper;
    private final Map<String, Instant> failedAt = new HashMap<>();

    GroupRests(FakeUpstreams fakes, Duration cooldown, InstantSource clock) {
        this(fakes, cooldown, clock, Thread::sleep);
    }

    GroupRests(FakeUpstreams fakes, Duration cooldown, InstantSource clock, Sleeper sleeper) {
        this.fakes = fakes;
        this.cooldown = cooldown;
        this.clock = clock;
        this.sleeper = sleeper;
    }

    /** Waits, at most the declared cooldown, until no rest an earlier case may have caused on {@code group} lasts. */
    void settle(String group) {
        Instant failed = failedAt.remove(group);
        if (failed == null) {
            return;
        }
        Duration left = Duration.between(clock.instant(), failed.plus(cooldown));
        if (left.isPositive()) {
            try {
                sleeper.sleep(left);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    /** Notes a case whose hops (or its twin's) failed on a group of several deployments. */
    void note(Observation observation) {
        boolean failed = observation.hops().stream().anyMatch(h -> !h.answered())
                || observation.twin().stream().flatMap(t -> t.hops().stream()).anyMatch(h -> !h.answered());
        note(observation.kitCase().group(), failed);
    }

    /** @param failed whether a hop of a case on {@code group} failed */
    void note(String group, boolean failed) {
        if (failed && !cooldown.isZero() && fakes.group(group).size() > 1) {
            failedAt.put(group, clock.instant());
        }
    }
}
