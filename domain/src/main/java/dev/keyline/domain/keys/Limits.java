package dev.keyline.domain.keys;

import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * Rate limits of a key or a team, each optional: requests and tokens per minute, and requests in flight.
 *
 * @param rpm         requests per minute
 * @param tpm         tokens (input and output) per minute
 * @param maxParallel requests in flight at once
 */
public record Limits(OptionalLong rpm, OptionalLong tpm, OptionalInt maxParallel) {

    public static final Limits NONE = new Limits(OptionalLong.empty(), OptionalLong.empty(), OptionalInt.empty());

    public Limits {
        if (rpm.isPresent() && rpm.getAsLong() < 1
                || tpm.isPresent() && tpm.getAsLong() < 1
                || maxParallel.isPresent() && maxParallel.getAsInt() < 1) {
            throw new IllegalArgumentException("rpm_limit, tpm_limit and max_parallel_requests must be 1 or more");
        }
    }

    public boolean any() {
        return rpm.isPresent() || tpm.isPresent() || maxParallel.isPresent();
    }
}
