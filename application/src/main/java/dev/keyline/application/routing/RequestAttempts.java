package dev.keyline.application.routing;

import dev.keyline.domain.deployment.Deployment;
import dev.keyline.domain.deployment.DeploymentId;
import dev.keyline.domain.deployment.ModelGroup;
import dev.keyline.domain.failure.ProviderFailure;
import dev.keyline.domain.routing.HopKind;
import dev.keyline.ports.in.HopRole;
import dev.keyline.ports.in.RequestJournal;
import dev.keyline.ports.out.Upstream;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/** The attempts of one client request, across its group and its fallbacks: how many, the last failure, the deadline. */
final class RequestAttempts<T> {

    /** The last upstream failure: what the client sees when nothing served it. */
    record LastFailure(DeploymentId deployment, ProviderFailure failure) {}

    private final RouterParts parts;
    /** Every call of a rescue continues a broken answer; the calls of a request have their roles by place. */
    private final boolean resuming;

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
            Instant deadline,
            boolean resuming) {
        this.parts = parts;
        this.resuming = resuming;
        this.hop = hop;
        this.journal = journal;
        this.call = call;
        this.deadline = deadline;
    }

    /** @param ignoringRests whether resting deployments may be picked (the last resort of a resting group) */
    Routed<T> tryGroup(ModelGroup group, boolean ignoringRests) {
        return new GroupAttempt<>(parts, this, group, ignoringRests, Optional.empty()).run();
    }

    /**
     * Tries a group again after one of its deployments failed this request: the failure is recorded and decides,
     * as any failure does, whether and when the group's next call is made; deployments in {@code spent} (whose
     * streams already broke for this answer) are not asked again.
     */
    Routed<T> tryGroupAfter(
            ModelGroup group, Deployment failed, HopKind failedOn, ProviderFailure failure, Set<DeploymentId> spent) {
        return new GroupAttempt<T>(
                        parts,
                        this,
                        group,
                        false,
                        Optional.of(new GroupAttempt.Earlier(failed.id(), failedOn, failure, spent)))
                .run();
    }

    /** @return whether these attempts continue a broken answer, so only a deployment that continues may take one */
    boolean resuming() {
        return resuming;
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
        HopRole role = resuming
                ? HopRole.RESUME
                : attempts == 0 ? HopRole.FIRST : firstInGroup && !ignoringRests ? HopRole.FALLBACK : HopRole.RETRY;
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
