package dev.keyline.ports.out;

import dev.keyline.domain.keys.KeyHash;
import dev.keyline.domain.keys.SpendEntry;
import dev.keyline.domain.keys.Usd;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Outgoing port where each request's spend is written down and read back. Writes come in batches, off the request
 * path. Methods throw {@link StoreException} when the log cannot be reached.
 */
public interface SpendLog {

    /** Writes entries; an entry whose id is already there is not written twice. */
    void append(List<SpendEntry> entries);

    /** @return entries matching the query, newest first, at most {@code query.limit()} */
    List<SpendEntry> entries(Query query);

    /** @return the total cost of a key's requests since a moment */
    Usd spentByKey(KeyHash key, Instant since);

    /** @return the total cost of a team's requests since a moment */
    Usd spentByTeam(String teamId, Instant since);

    /** @return cost per time bucket and label (key alias, team or model group), oldest first */
    List<Bucket> buckets(Instant from, Instant to, Duration width, Dimension by);

    /** @return per key: total cost and last use */
    List<KeyTotal> keyTotals();

    /** What a spend chart groups by. */
    enum Dimension {
        KEY,
        TEAM,
        MODEL_GROUP
    }

    /** Cost of one label in one bucket. */
    record Bucket(Instant start, String label, Usd cost) {
        public Bucket {
            Objects.requireNonNull(start, "'start' must not be null");
            Objects.requireNonNull(label, "'label' must not be null");
            Objects.requireNonNull(cost, "'cost' must not be null");
        }
    }

    /** A key's whole spend and when it was last used. */
    record KeyTotal(KeyHash key, Usd cost, long requests, Instant lastUsed) {
        public KeyTotal {
            Objects.requireNonNull(key, "'key' must not be null");
            Objects.requireNonNull(cost, "'cost' must not be null");
            Objects.requireNonNull(lastUsed, "'lastUsed' must not be null");
        }
    }

    /**
     * Which entries to read; every filter optional.
     *
     * @param limit at most this many, 1 to 10,000
     */
    record Query(
            Optional<KeyHash> key,
            Optional<String> teamId,
            Optional<String> modelGroup,
            Optional<Instant> from,
            Optional<Instant> to,
            int limit) {
        public Query {
            Objects.requireNonNull(key, "'key' must not be null");
            Objects.requireNonNull(teamId, "'teamId' must not be null");
            Objects.requireNonNull(modelGroup, "'modelGroup' must not be null");
            Objects.requireNonNull(from, "'from' must not be null");
            Objects.requireNonNull(to, "'to' must not be null");
            if (limit < 1 || limit > 10_000) {
                throw new IllegalArgumentException("limit must be 1 to 10000, was " + limit);
            }
        }

        public static Query all(int limit) {
            return new Query(
                    Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), limit);
        }
    }
}
