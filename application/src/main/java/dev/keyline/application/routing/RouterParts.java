package dev.keyline.application.routing;

import dev.keyline.domain.routing.RouterRules;
import dev.keyline.ports.out.Sleeper;
import dev.keyline.ports.out.Telemetry;
import dev.keyline.ports.out.Upstreams;
import dev.keyline.ports.out.UsageMeter;
import java.time.Duration;
import java.time.InstantSource;
import java.util.random.RandomGenerator;

/** What the router's attempts share: its rules, the upstreams, shared state, and time and chance. */
record RouterParts(
        RouterRules rules,
        Upstreams upstreams,
        UsageMeter meter,
        Rests rests,
        FailureRecorder failures,
        Telemetry telemetry,
        RandomGenerator random,
        InstantSource clock,
        Sleeper sleeper) {

    /** @return false when the wait was interrupted (the request is being abandoned) */
    boolean pause(Duration delay) {
        if (delay.isZero()) {
            return true;
        }
        try {
            sleeper.sleep(delay);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
