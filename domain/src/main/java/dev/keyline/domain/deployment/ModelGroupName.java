package dev.keyline.domain.deployment;

import java.util.Objects;

/** The model name clients ask for; every deployment configured under it serves the group. */
public record ModelGroupName(String value) {
    public ModelGroupName {
        Objects.requireNonNull(value, "'value' must not be null");
        if (value.isBlank()) {
            throw new IllegalArgumentException("a model group name must not be blank");
        }
    }

    @Override
    public String toString() {
        return value;
    }
}
