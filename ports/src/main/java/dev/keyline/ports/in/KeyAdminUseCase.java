package dev.keyline.ports.in;

import dev.keyline.domain.keys.Budget;
import dev.keyline.domain.keys.Grant;
import dev.keyline.domain.keys.SpendEntry;
import dev.keyline.domain.keys.Team;
import dev.keyline.domain.keys.Usd;
import dev.keyline.domain.keys.VirtualKey;
import dev.keyline.ports.out.SpendLog;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Incoming port for the operator's management of virtual keys, teams and spend (the admin API, the command line, the
 * status page). Keys are referred to by the key itself or by its hash. Throws
 * {@link dev.keyline.ports.out.StoreException} when the store is away or a name is taken, and
 * {@link IllegalArgumentException} for a change that makes no sense (an unknown team, say).
 */
public interface KeyAdminUseCase {

    /** Issues a key; the returned secret is the only time it is ever shown. */
    Generated generate(KeySpec spec);

    Optional<KeyView> key(String keyOrHash);

    /** Stores a changed key (found by {@link #key}); the change applies on every replica within the cache's life. */
    void replace(VirtualKey key);

    /** @return how many of the keys given were there to delete */
    int delete(List<String> keysOrHashes);

    /** @return how many keys with these aliases were there to delete */
    int deleteByAlias(List<String> aliases);

    List<KeyView> keys(Optional<String> teamId);

    void create(Team team);

    Optional<TeamView> team(String id);

    void replace(Team team);

    /** @return whether it was there */
    boolean deleteTeam(String id);

    List<TeamView> teams();

    List<SpendEntry> spend(SpendLog.Query query);

    List<SpendLog.Bucket> chart(Instant from, Instant to, Duration width, SpendLog.Dimension by);

    /** @return the time now, by the gateway's clock */
    Instant now();

    /**
     * What a new key is to be.
     *
     * @param alias    its name
     * @param grant    its groups, budget and limits
     * @param teamId   its team (which must exist)
     * @param userId   whom it is for
     * @param metadata a JSON object, as text
     * @param lifetime how long it works, from now
     */
    record KeySpec(
            Optional<String> alias,
            Grant grant,
            Optional<String> teamId,
            Optional<String> userId,
            String metadata,
            Optional<Duration> lifetime) {
        public KeySpec {
            Objects.requireNonNull(alias, "'alias' must not be null");
            Objects.requireNonNull(grant, "'grant' must not be null");
            Objects.requireNonNull(teamId, "'teamId' must not be null");
            Objects.requireNonNull(userId, "'userId' must not be null");
            Objects.requireNonNull(metadata, "'metadata' must not be null");
            Objects.requireNonNull(lifetime, "'lifetime' must not be null");
        }
    }

    /** A key just issued: the secret, shown once, and what was stored. */
    record Generated(String secret, VirtualKey key) {
        public Generated {
            Objects.requireNonNull(secret, "'secret' must not be null");
            Objects.requireNonNull(key, "'key' must not be null");
        }

        @Override
        public String toString() {
            return "Generated[" + key.label() + "]";
        }
    }

    /**
     * A key with its spend.
     *
     * @param spent    in the current budget period
     * @param window   the current budget period
     * @param total    over its life
     * @param requests requests accounted over its life
     * @param lastUsed its last accounted request
     */
    record KeyView(
            VirtualKey key, Usd spent, Budget.Window window, Usd total, long requests, Optional<Instant> lastUsed) {
        public KeyView {
            Objects.requireNonNull(key, "'key' must not be null");
            Objects.requireNonNull(spent, "'spent' must not be null");
            Objects.requireNonNull(window, "'window' must not be null");
            Objects.requireNonNull(total, "'total' must not be null");
            Objects.requireNonNull(lastUsed, "'lastUsed' must not be null");
        }
    }

    /** A team with its spend in the current budget period and its keys' count. */
    record TeamView(Team team, Usd spent, Budget.Window window, int keys) {
        public TeamView {
            Objects.requireNonNull(team, "'team' must not be null");
            Objects.requireNonNull(spent, "'spent' must not be null");
            Objects.requireNonNull(window, "'window' must not be null");
        }
    }
}
