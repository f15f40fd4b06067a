package dev.keyline.domain.deployment;

import java.util.Objects;

/** A deployment's stable identity: safe to show in headers, logs and metrics. */
public record DeploymentId(String value) {
    public DeploymentId {
        Objects.requireNonNull(value, "'value' must not be null");
        if (value.isBlank()) {
            throw new IllegalArgumentException("a deployment id must not be blank");
        }
        if (!value.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            throw new IllegalArgumentException("a deployment id must be printable ASCII without spaces: " + value);
        }
    }

    @Override
    public String toString() {
        return value;
    }
}
