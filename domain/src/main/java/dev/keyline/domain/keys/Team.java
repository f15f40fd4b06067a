package dev.keyline.domain.keys;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A group of keys that share a budget, limits and allowed model groups: a key is held to its own grant and to its
 * team's.
 *
 * @param id       the team's id (letters, digits, {@code -_.:}; at most 64)
 * @param alias    a name for people
 * @param grant    its groups, budget and limits
 * @param metadata free JSON (an object), kept as text
 * @param created  when it was made; budget periods count from here
 * @param blocked  whether its keys are refused
 */
public record Team(String id, Optional<String> alias, Grant grant, String metadata, Instant created, boolean blocked) {

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}");

    public Team {
        Objects.requireNonNull(id, "'id' must not be null");
        if (!ID.matcher(id).matches()) {
            throw new IllegalArgumentException(
                    "team_id must be 1 to 64 letters, digits or -_.: (starting with a letter or digit)");
        }
        Objects.requireNonNull(alias, "'alias' must not be null");
        Objects.requireNonNull(grant, "'grant' must not be null");
        Objects.requireNonNull(metadata, "'metadata' must not be null");
        Objects.requireNonNull(created, "'created' must not be null");
    }

    public String label() {
        return alias.orElse(id);
    }
}
