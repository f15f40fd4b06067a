package dev.keyline.domain.routing;

import java.time.Duration;
import java.util.Objects;

/** Whether a failed attempt is tried again within its model group. */
public sealed interface RetryDecision {

    /** Try again after {@code delay} (zero when another deployment can take it at once). */
    record Retry(Duration delay) implements RetryDecision {
        public Retry {
            Objects.requireNonNull(delay, "'delay' must not be null");
            if (delay.isNegative()) {
                throw new IllegalArgumentException("a delay cannot be negative");
            }
        }
    }

    /** Stop trying this group; {@code why} explains it. */
    record Stop(String why) implements RetryDecision {
        public Stop {
            Objects.requireNonNull(why, "'why' must not be null");
        }
    }
}
