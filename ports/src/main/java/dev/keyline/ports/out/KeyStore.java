package dev.keyline.ports.out;

import dev.keyline.domain.keys.KeyHash;
import dev.keyline.domain.keys.Team;
import dev.keyline.domain.keys.VirtualKey;
import java.util.List;
import java.util.Optional;

/**
 * Outgoing port where virtual keys and teams are kept (as hashes: a key itself is never stored). Shared by every
 * replica of a fleet when it is a shared database. Methods throw {@link StoreException} when the store cannot be
 * reached or refuses a change.
 */
public interface KeyStore {

    /** @throws StoreException.Conflict if a key with this hash or alias exists */
    void create(VirtualKey key);

    Optional<VirtualKey> find(KeyHash hash);

    Optional<VirtualKey> findByAlias(String alias);

    /** Replaces a stored key (matched by hash); @return whether it existed */
    boolean update(VirtualKey key);

    /** @return whether it existed */
    boolean delete(KeyHash hash);

    /** @return every key, or a team's, by creation */
    List<VirtualKey> keys(Optional<String> teamId);

    /** @throws StoreException.Conflict if the id is taken */
    void create(Team team);

    Optional<Team> team(String id);

    /** @return whether it existed */
    boolean update(Team team);

    /** @return whether it existed; its keys stay, without a team */
    boolean deleteTeam(String id);

    List<Team> teams();
}
