package dev.keyline.ports.out;

import dev.keyline.domain.routing.UsageLimit;
import java.time.Duration;
import java.util.Objects;

/** Whether a {@link UsageMeter} lets a call to a deployment go ahead now. */
public sealed interface Admission {

    /**
     * The call may go ahead and is counted.
     *
     * @param leave ends the call's in-flight count; running it more than once has no further effect
     */
    record Admitted(Runnable leave) implements Admission {
        public Admitted {
            Objects.requireNonNull(leave, "'leave' must not be null");
        }
    }

    /**
     * The deployment is at a limit; nothing was counted.
     *
     * @param limit   which limit
     * @param retryIn when the limit frees up, as far as the meter knows (the next minute for per-minute limits)
     */
    record AtLimit(UsageLimit limit, Duration retryIn) implements Admission {
        public AtLimit {
            Objects.requireNonNull(limit, "'limit' must not be null");
            Objects.requireNonNull(retryIn, "'retryIn' must not be null");
            if (retryIn.isNegative()) {
                throw new IllegalArgumentException("retryIn must not be negative, was " + retryIn);
            }
        }
    }
}
