package dev.keyline.ports.in;

import dev.keyline.domain.keys.Team;
import dev.keyline.domain.keys.VirtualKey;
import java.util.Objects;
import java.util.Optional;

/** Who sent a request, as the front door authenticated it. */
public sealed interface Caller {

    /** The operator: the master key, or anyone on a gateway without one. Held to no key's grant. */
    record Operator() implements Caller {}

    /** A holder of a virtual key, held to the key's grant and its team's. */
    record KeyHolder(VirtualKey key, Optional<Team> team) implements Caller {
        public KeyHolder {
            Objects.requireNonNull(key, "'key' must not be null");
            Objects.requireNonNull(team, "'team' must not be null");
        }

        /** @return the team's id, or {@code none}, for metrics */
        public String teamLabel() {
            return team.map(Team::id).orElse("none");
        }
    }

    Caller OPERATOR = new Operator();
}
