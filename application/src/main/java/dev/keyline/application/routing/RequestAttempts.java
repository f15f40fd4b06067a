package dev.keyline.application.routing;

import dev.keyline.domain.deployment.DeploymentId;
import dev.keyline.domain.deployment.ModelGroup;
import dev.keyline.domain.failure.ProviderFailure;
import dev.keyline.domain.routing.HopKind;
import dev.keyline.ports.in.HopRole;
import dev.keyline.ports.in.RequestJournal;
import dev.keyline.ports.out.Upstream;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Function;

/** The attempts of one client request, across its group and its fallbacks: how many, the last failure, the deadline. */
final class RequestAttempts<T> {

    /** The last upstream failure: what the client sees when nothing served it. */
    record LastFailure(DeploymentId deployment, ProviderFailure failure) {}

    private final RouterParts parts;
    final HopKind hop;
    final RequestJournal journal;
    final Function<Upstream, Attempt<T>> call;
    final Instant deadline;
    private int attempts;
    private LastFailure lastFailure;

    RequestAttempts(
            RouterParts parts,
            HopKind hop,
            RequestJournal journal,
            Function<Upstream, Attempt<T>> call,
            Instant deadline) {
        this.parts = parts;
        this.hop = hop;
        this.journal = journal;
        this.call = call;
        this.deadline = deadline;
    }

    /** @param ignoringRests whether resting deployments may be picked (the last resort of a resting group) */
    Routed<T> tryGroup(ModelGroup group, boolean ignoringRests) {
        return new GroupAttempt<>(parts, this, group, ignoringRests).run();
    }

    boolean pastDeadline() {
        return !parts.clock().instant().isBefore(deadline);
    }

    Optional<LastFailure> lastFailure() {
        return Optional.ofNullable(lastFailure);
    }

    /**
     * Counts an attempt about to be made.
     *
     * @param firstInGroup  whether it is the group's first
     * @param ignoringRests whether the group is tried again as a last resort
     * @return its role: the resting group's last resort is the requested group once more, a retry, not a fallback
     */
    HopRole nextRole(boolean firstInGroup, boolean ignoringRests) {
        HopRole role =
                attempts == 0 ? HopRole.FIRST : firstInGroup && !ignoringRests ? HopRole.FALLBACK : HopRole.RETRY;
        attempts++;
        return role;
    }

    int attempts() {
        return attempts;
    }

    void failed(DeploymentId deployment, ProviderFailure failure) {
        lastFailure = new LastFailure(deployment, failure);
    }
}
