package dev.keyline.domain.routing;

import java.util.Objects;

/** Whether a failure cools its deployment down. */
public sealed interface CooldownDecision {

    /** The deployment rests as described. */
    record Cool(Cooldown cooldown) implements CooldownDecision {
        public Cool {
            Objects.requireNonNull(cooldown, "'cooldown' must not be null");
        }
    }

    /** The deployment stays selectable; {@code why} explains it for logs and tests. */
    record Stay(String why) implements CooldownDecision {
        public Stay {
            Objects.requireNonNull(why, "'why' must not be null");
        }
    }
}
