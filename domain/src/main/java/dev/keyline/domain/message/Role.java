package dev.keyline.domain.message;

import java.util.Objects;

/**
 * Who speaks a message: {@code user} or {@code assistant}, or a role a newer API version or beta defines (Claude
 * Code sends {@code system} messages under a beta). The gateway passes unknown roles on; the upstream decides.
 */
public record Role(String wireName) {

    public static final Role USER = new Role("user");
    public static final Role ASSISTANT = new Role("assistant");

    public Role {
        Objects.requireNonNull(wireName, "'wireName' must not be null");
        if (wireName.isBlank()) {
            throw new IllegalArgumentException("a role must not be empty");
        }
    }

    @Override
    public String toString() {
        return wireName;
    }
}
