package dev.keyline.adapters.frontdoors.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keyline.ports.out.Telemetry;
import dev.keyline.ports.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Wrong keys are counted per address and minute; past the limit an address waits out the minute. */
class AuthThrottleTest {

    @Test
    void anAddressPastTheLimitWaitsOutTheMinuteAndOthersAreUntouched() {
        MutableClock clock = new MutableClock(Instant.parse("2026-12-05T10:00:10Z"));
        AtomicInteger failures = new AtomicInteger();
        AtomicInteger throttled = new AtomicInteger();
        AuthThrottle throttle = new AuthThrottle(clock, new Telemetry() {
            @Override
            public void authFailed(boolean refusedUnchecked) {
                (refusedUnchecked ? throttled : failures).incrementAndGet();
            }
        });
        for (int i = 0; i < AuthThrottle.MAX_FAILURES - 1; i++) {
            throttle.failed("10.0.0.7");
        }
        assertEquals(Optional.empty(), throttle.throttled("10.0.0.7"), "under the limit");
        throttle.failed("10.0.0.7");
        assertEquals(Optional.of(Duration.ofSeconds(50)), throttle.throttled("10.0.0.7"), "the rest of the minute");
        assertEquals(Optional.empty(), throttle.throttled("10.0.0.8"), "another address");
        clock.advance(Duration.ofSeconds(50));
        assertEquals(Optional.empty(), throttle.throttled("10.0.0.7"), "a new minute");
        assertEquals(AuthThrottle.MAX_FAILURES, failures.get());
        assertTrue(throttled.get() == 1, "each refusal unchecked is counted");
    }
}
