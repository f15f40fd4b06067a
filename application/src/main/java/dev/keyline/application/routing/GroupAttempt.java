package dev.keyline.application.routing;

import dev.keyline.domain.deployment.Deployment;
import dev.keyline.domain.deployment.DeploymentId;
import dev.keyline.domain.deployment.ModelGroup;
import dev.keyline.domain.failure.ProviderFailure;
import dev.keyline.domain.routing.DeploymentSelector;
import dev.keyline.domain.routing.FailureClass;
import dev.keyline.domain.routing.HopKind;
import dev.keyline.domain.routing.RetryDecision;
import dev.keyline.domain.routing.UsageLimit;
import dev.keyline.ports.in.GatewayError;
import dev.keyline.ports.in.HopRole;
import dev.keyline.ports.out.Admission;
import dev.keyline.ports.out.Upstream;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * One request's attempts within one model group: pick a deployment, admit it past its limits, call it, and on
 * failure record it and retry as the rules allow, until one serves or the group has nothing more to give.
 */
final class GroupAttempt<T> {

    private static final System.Logger LOG = System.getLogger(Router.class.getName());

    private final RouterParts parts;
    private final RequestAttempts<T> request;
    private final ModelGroup group;
    private final boolean ignoringRests;
    private final Set<DeploymentId> tried = new HashSet<>();
    /** A deployment that timed out is not asked again for this request: it would keep the client waiting. */
    private final Set<DeploymentId> silent = new HashSet<>();
    /** Deployments at a limit are skipped, never counted as failed: the limit is the operator's, not trouble. */
    private final Map<DeploymentId, Admission.AtLimit> atLimit = new HashMap<>();

    private int retries;
    private boolean firstInGroup = true;

    /**
     * A failure this request met in the group before these attempts: the call that failed, who built it, and the
     * deployments that failed it before (a rescue does not ask a deployment again whose stream broke twice).
     */
    record Earlier(DeploymentId deployment, HopKind builtBy, ProviderFailure failure, Set<DeploymentId> spent) {}

    private final Optional<Earlier> earlier;
    /** In a rescue, the deployments that cannot continue an answer: asked, they would start a new one. */
    private final Set<DeploymentId> cannotContinue;

    /** @param earlier a failure of one of the group's deployments this request already met, before these attempts */
    GroupAttempt(
            RouterParts parts,
            RequestAttempts<T> request,
            ModelGroup group,
            boolean ignoringRests,
            Optional<Earlier> earlier) {
        this.parts = parts;
        this.request = request;
        this.group = group;
        this.ignoringRests = ignoringRests;
        this.earlier = earlier;
        this.cannotContinue = request.resuming()
                ? group.deployments().stream()
                        .filter(d -> !d.routing().continuation().continues())
                        .map(Deployment::id)
                        .collect(Collectors.toSet())
                : Set.of();
    }

    Routed<T> run() {
        if (earlier.isPresent()) {
            Earlier failed = earlier.get();
            Optional<Deployment> deployment = group.deployments().stream()
                    .filter(d -> d.id().equals(failed.deployment()))
                    .findFirst();
            if (deployment.isPresent()) {
                tried.add(failed.deployment());
                firstInGroup = false;
                // It counts as the call it broke was: the client's own, or one the gateway built.
                if (failed.spent().contains(failed.deployment())) {
                    // It broke before for this request: it is not waited for again; its group mates may serve.
                    request.failed(failed.deployment(), failed.failure());
                    parts.failures()
                            .record(
                                    deployment.get(),
                                    failed.failure(),
                                    failed.builtBy(),
                                    group.deployments().size(),
                                    request.journal);
                } else {
                    Optional<Routed<T>> stop = afterFailure(deployment.get(), failed.failure(), failed.builtBy());
                    if (stop.isPresent()) {
                        return stop.get();
                    }
                }
            }
        }
        while (true) {
            Optional<Deployment> pick = DeploymentSelector.select(
                    parts.rules().strategy(),
                    group.deployments(),
                    unavailable(),
                    tried,
                    parts.meter()::inFlight,
                    parts.random());
            if (pick.isEmpty()) {
                return new Routed.Refused<>(
                        atLimit.isEmpty()
                                ? new GatewayError.AllCoolingDown(
                                        group.name(), parts.rests().soonestEnd(group))
                                : atLimitError());
            }
            Deployment deployment = pick.get();
            Optional<Runnable> admitted = admit(deployment);
            if (admitted.isEmpty()) {
                continue;
            }
            tried.add(deployment.id());
            HopRole role = request.nextRole(firstInGroup, ignoringRests);
            firstInGroup = false;
            Upstream upstream = parts.upstreams().of(deployment);
            CountedCall<T> counted = CountedCall.make(
                    parts.telemetry(),
                    new Attempting(upstream, request.deadline, request.journal.open(deployment, role)),
                    admitted.get(),
                    request.call);
            ProviderFailure failure;
            switch (counted.attempt()) {
                case Attempt.Succeeded<T> succeeded -> {
                    return new Routed.Served<>(
                            succeeded.value(), upstream, request.attempts(), counted.release(), request.deadline);
                }
                case Attempt.Failed<T> failed -> failure = failed.failure();
            }
            Optional<Routed<T>> stop = afterFailure(deployment, failure, request.hop);
            if (stop.isPresent()) {
                return stop.get();
            }
        }
    }

    /** @return the end of the call's in-flight count, or empty when the deployment is at one of its limits */
    private Optional<Runnable> admit(Deployment deployment) {
        return switch (parts.meter().admit(deployment)) {
            case Admission.AtLimit limit -> {
                LOG.log(
                        Level.DEBUG,
                        "deployment {0} is at its {1} limit",
                        deployment.id(),
                        limit.limit().configName());
                atLimit.put(deployment.id(), limit);
                parts.telemetry().limitReached(deployment, limit.limit(), limit.retryIn());
                yield Optional.empty();
            }
            case Admission.Admitted admitted -> Optional.of(admitted.leave());
        };
    }

    /** @return the refusal that ends the group's attempts, or empty when another attempt follows */
    private Optional<Routed<T>> afterFailure(Deployment deployment, ProviderFailure failure, HopKind hop) {
        request.failed(deployment.id(), failure);
        if (FailureClass.of(failure) == FailureClass.TIMEOUT) {
            silent.add(deployment.id());
        }
        parts.failures().record(deployment, failure, hop, group.deployments().size(), request.journal);
        boolean untried = DeploymentSelector.hasUntried(group.deployments(), unavailable(), tried);
        RetryDecision decision = parts.rules()
                .retries()
                .decide(failure, retries, untried, parts.random().nextDouble());
        if (decision instanceof RetryDecision.Retry retry) {
            if (!parts.clock().instant().plus(retry.delay()).isBefore(request.deadline)) {
                decision = new RetryDecision.Stop("the request's deadline would pass during the wait");
            } else if (!ignoringRests && parts.rests().all(group)) {
                decision = new RetryDecision.Stop("the group rests now; waiting would only delay the fallbacks");
            }
        }
        Routed<T> refused = new Routed.Refused<>(new GatewayError.UpstreamFailed(deployment.id(), failure));
        switch (decision) {
            case RetryDecision.Stop stop -> {
                LOG.log(Level.DEBUG, "not retrying {0}: {1}", deployment.id(), stop.why());
                return Optional.of(refused);
            }
            case RetryDecision.Retry retry -> {
                if (!parts.pause(retry.delay())) {
                    return Optional.of(refused);
                }
                retries++;
                return Optional.empty();
            }
        }
    }

    private Predicate<DeploymentId> unavailable() {
        Predicate<DeploymentId> resting =
                ignoringRests ? id -> false : parts.rests().now();
        return resting.or(silent::contains)
                .or(atLimit::containsKey)
                .or(cannotContinue::contains)
                .or(spent()::contains);
    }

    private Set<DeploymentId> spent() {
        return earlier.map(Earlier::spent).orElse(Set.of());
    }

    private GatewayError.AtLimit atLimitError() {
        Duration soonest = atLimit.values().stream()
                .map(Admission.AtLimit::retryIn)
                .min(Duration::compareTo)
                .orElseThrow();
        Set<UsageLimit> limits =
                atLimit.values().stream().map(Admission.AtLimit::limit).collect(Collectors.toSet());
        return new GatewayError.AtLimit(group.name(), soonest, limits);
    }
}
