package dev.keyline.domain.keys;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/** Why a virtual key may not make a request now. Every message names the key or team by alias, never by hash. */
public sealed interface KeyRefusal {

    /** @return the refusal as the client reads it */
    String message();

    /** @return a short fixed word for metrics: {@code blocked}, {@code expired}, {@code model}, {@code budget}, {@code limit} */
    String reason();

    /** The key, or its team, was revoked or blocked. */
    record Blocked(String owner) implements KeyRefusal {
        public Blocked {
            Objects.requireNonNull(owner, "'owner' must not be null");
        }

        @Override
        public String message() {
            return owner + " is blocked";
        }

        @Override
        public String reason() {
            return "blocked";
        }
    }

    /** The key is past its expiry. */
    record Expired(String key, Instant at) implements KeyRefusal {
        public Expired {
            Objects.requireNonNull(key, "'key' must not be null");
            Objects.requireNonNull(at, "'at' must not be null");
        }

        @Override
        public String message() {
            return "key '" + key + "' expired at " + at;
        }

        @Override
        public String reason() {
            return "expired";
        }
    }

    /** The key or its team may not call this model group. */
    record ModelNotAllowed(String owner, String group, Set<String> allowed) implements KeyRefusal {
        public ModelNotAllowed {
            Objects.requireNonNull(owner, "'owner' must not be null");
            Objects.requireNonNull(group, "'group' must not be null");
            allowed = Set.copyOf(allowed);
        }

        @Override
        public String message() {
            return owner + " may not use model '" + group + "'; it may use: "
                    + String.join(", ", allowed.stream().sorted().toList());
        }

        @Override
        public String reason() {
            return "model";
        }
    }

    /** The key or its team has spent its budget for the period. */
    record OverBudget(String owner, Usd max, Usd spent, Optional<Instant> resetsAt) implements KeyRefusal {
        public OverBudget {
            Objects.requireNonNull(owner, "'owner' must not be null");
            Objects.requireNonNull(max, "'max' must not be null");
            Objects.requireNonNull(spent, "'spent' must not be null");
            Objects.requireNonNull(resetsAt, "'resetsAt' must not be null");
        }

        @Override
        public String message() {
            return "budget exceeded: " + owner + " has spent " + spent + " of its " + max + " budget; "
                    + resetsAt.map(at -> "it resets at " + at)
                            .orElse("it does not reset (raise max_budget to continue)");
        }

        @Override
        public String reason() {
            return "budget";
        }
    }

    /** The key or its team is at a rate limit. */
    record AtLimit(String owner, String limit, Duration retryIn) implements KeyRefusal {
        public AtLimit {
            Objects.requireNonNull(owner, "'owner' must not be null");
            Objects.requireNonNull(limit, "'limit' must not be null");
            Objects.requireNonNull(retryIn, "'retryIn' must not be null");
        }

        @Override
        public String message() {
            return owner + " is at its " + limit + "; retry in " + Math.max(1, retryIn.toSeconds()) + " s";
        }

        @Override
        public String reason() {
            return "limit";
        }
    }
}
