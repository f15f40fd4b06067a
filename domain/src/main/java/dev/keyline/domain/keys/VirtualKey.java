package dev.keyline.domain.keys;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A key the gateway issued to one person or service, as it is stored: never the key itself, only its hash and the
 * first characters for people to recognise it.
 *
 * @param hash     SHA-256 of the key
 * @param preview  the key's first characters and a mask, e.g. {@code sk-kl-3f9a…}
 * @param alias    a name for people, logs and metrics
 * @param grant    its groups, budget and limits
 * @param teamId   the team it belongs to, whose grant it shares
 * @param userId   the person it was given to
 * @param metadata free JSON the operator attached (an object), kept as text
 * @param created  when it was issued; budget periods count from here
 * @param expires  when it stops working
 * @param blocked  whether it was revoked but kept for its spend history
 */
public record VirtualKey(
        KeyHash hash,
        String preview,
        Optional<String> alias,
        Grant grant,
        Optional<String> teamId,
        Optional<String> userId,
        String metadata,
        Instant created,
        Optional<Instant> expires,
        boolean blocked) {
    public VirtualKey {
        Objects.requireNonNull(hash, "'hash' must not be null");
        Objects.requireNonNull(preview, "'preview' must not be null");
        Objects.requireNonNull(alias, "'alias' must not be null");
        Objects.requireNonNull(grant, "'grant' must not be null");
        Objects.requireNonNull(teamId, "'teamId' must not be null");
        Objects.requireNonNull(userId, "'userId' must not be null");
        Objects.requireNonNull(metadata, "'metadata' must not be null");
        Objects.requireNonNull(created, "'created' must not be null");
        Objects.requireNonNull(expires, "'expires' must not be null");
    }

    /** @return what logs, errors and metrics call it: its alias, else its preview (never its hash) */
    public String label() {
        return alias.orElse(preview);
    }
}
