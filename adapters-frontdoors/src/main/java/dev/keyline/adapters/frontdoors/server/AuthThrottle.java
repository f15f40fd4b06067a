package dev.keyline.adapters.frontdoors.server;

import dev.keyline.ports.out.Telemetry;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Slows down key guessing: a client address that presents {@link #MAX_FAILURES} wrong keys within a minute (API and
 * sign-in form alike) is refused without a check until the minute ends. The address is the connection's peer, not a
 * forwarded header a client could forge; behind a load balancer every client shares the balancer's address.
 */
public final class AuthThrottle {

    /** Wrong keys an address may present in one minute. */
    public static final int MAX_FAILURES = 20;

    private static final Duration WINDOW = Duration.ofMinutes(1);
    private static final int MAX_ADDRESSES = 100_000;
    private static final System.Logger LOG = System.getLogger(AuthThrottle.class.getName());

    private final InstantSource clock;
    private final Telemetry telemetry;
    private final ConcurrentHashMap<String, Window> failures = new ConcurrentHashMap<>();

    private static final class Window {
        private final long minute;
        private int count;

        Window(long minute) {
            this.minute = minute;
        }
    }

    public AuthThrottle(InstantSource clock, Telemetry telemetry) {
        this.clock = Objects.requireNonNull(clock, "'clock' must not be null");
        this.telemetry = Objects.requireNonNull(telemetry, "'telemetry' must not be null");
    }

    private long minute(Instant now) {
        return Math.floorDiv(now.getEpochSecond(), WINDOW.toSeconds());
    }

    /** @return how long the address must wait, when it has failed too often this minute (counted as a failure) */
    public Optional<Duration> throttled(String address) {
        Instant now = clock.instant();
        Window window = failures.get(address);
        if (window == null || window.minute != minute(now)) {
            return Optional.empty();
        }
        synchronized (window) {
            if (window.count < MAX_FAILURES) {
                return Optional.empty();
            }
        }
        telemetry.authFailed(true);
        return Optional.of(Duration.between(now, Instant.ofEpochSecond((window.minute + 1) * WINDOW.toSeconds())));
    }

    /** Counts a wrong or missing key from an address. */
    public void failed(String address) {
        telemetry.authFailed(false);
        long minute = minute(clock.instant());
        if (failures.size() > MAX_ADDRESSES) {
            failures.clear();
        }
        Window window = failures.compute(address, (k, w) -> w == null || w.minute != minute ? new Window(minute) : w);
        synchronized (window) {
            window.count++;
            if (window.count == MAX_FAILURES) {
                LOG.log(
                        Level.WARNING,
                        "{0} wrong keys from {1} within a minute; its requests are refused until the minute ends",
                        MAX_FAILURES,
                        address);
            }
        }
    }
}
