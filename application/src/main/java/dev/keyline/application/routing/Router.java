package dev.keyline.application.routing;

import dev.keyline.domain.deployment.Deployment;
import dev.keyline.domain.deployment.DeploymentId;
import dev.keyline.domain.deployment.ModelGroup;
import dev.keyline.domain.deployment.ModelGroupName;
import dev.keyline.domain.deployment.ModelGroups;
import dev.keyline.domain.failure.ProviderFailure;
import dev.keyline.domain.routing.FallbackTrigger;
import dev.keyline.domain.routing.HopKind;
import dev.keyline.domain.routing.RetryDecision;
import dev.keyline.domain.routing.RouterRules;
import dev.keyline.ports.in.GatewayError;
import dev.keyline.ports.in.HopRole;
import dev.keyline.ports.in.RequestJournal;
import dev.keyline.ports.out.CooldownStore;
import dev.keyline.ports.out.Sleeper;
import dev.keyline.ports.out.Telemetry;
import dev.keyline.ports.out.Upstream;
import dev.keyline.ports.out.Upstreams;
import dev.keyline.ports.out.UsageMeter;
import java.lang.System.Logger.Level;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.random.RandomGenerator;

/**
 * Runs one request through its model group: picks a deployment, calls it, and on failure records the failure,
 * rests the deployment when the cooldown policy says so, retries within the group and then falls back to other
 * groups, as {@link RouterRules} decide. Each attempt hands the call the {@link Upstream} of the deployment it
 * picked, which can call that deployment and no other, so a retry or a fallback always carries the credentials of
 * the deployment it goes to, and a loop's follow-ups go back through the very handle its first hop used.
 *
 * <p>A deployment at one of its limits ({@code rpm}, {@code tpm}, {@code max_parallel_requests}, counted by the
 * {@link UsageMeter}, shared by a fleet when it is) is skipped without counting as failed; a group with nothing
 * else left answers {@link GatewayError.AtLimit}.
 *
 * <p>A request has a deadline ({@link RouterRules#deadline()}): every attempt is told what is left of it, and no
 * attempt or wait starts after it. The only deployment of a group with fallbacks may rest while it fails for its
 * own reasons; its requests then go straight to the fallbacks, and back to it when those fail too.
 */
public final class Router {

    private static final System.Logger LOG = System.getLogger(Router.class.getName());

    private final ModelGroups groups;
    private final RouterParts parts;

    public Router(
            ModelGroups groups,
            Upstreams upstreams,
            RouterRules rules,
            CooldownStore cooldowns,
            Sleeper sleeper,
            RandomGenerator random,
            InstantSource clock,
            UsageMeter meter,
            Telemetry telemetry) {
        this.groups = Objects.requireNonNull(groups, "'groups' must not be null");
        Objects.requireNonNull(rules, "'rules' must not be null");
        Objects.requireNonNull(clock, "'clock' must not be null");
        Objects.requireNonNull(meter, "'meter' must not be null");
        Objects.requireNonNull(telemetry, "'telemetry' must not be null");
        Objects.requireNonNull(cooldowns, "'cooldowns' must not be null");
        this.parts = new RouterParts(
                rules,
                Objects.requireNonNull(upstreams, "'upstreams' must not be null"),
                meter,
                new Rests(cooldowns, clock),
                new FailureRecorder(cooldowns, rules, clock, telemetry),
                telemetry,
                Objects.requireNonNull(random, "'random' must not be null"),
                clock,
                Objects.requireNonNull(sleeper, "'sleeper' must not be null"));
    }

    /**
     * @param model   the model group the client asked for
     * @param hop     who built the calls
     * @param journal where each call is written down
     * @param call    one call through the upstream of one deployment; it must not throw for upstream trouble
     * @return the first success and the upstream that gave it, or the error the client should see
     */
    public <T> Routed<T> route(String model, HopKind hop, RequestJournal journal, Function<Upstream, Attempt<T>> call) {
        Optional<ModelGroup> requested = groups.find(model);
        if (requested.isEmpty()) {
            return new Routed.Refused<>(new GatewayError.UnknownModel(model));
        }
        RequestAttempts<T> request = new RequestAttempts<>(
                parts,
                hop,
                journal,
                call,
                parts.clock().instant().plus(parts.rules().deadline()),
                false);
        Routed<T> outcome = request.tryGroup(requested.get(), false);
        if (outcome instanceof Routed.Served<T>) {
            return outcome;
        }
        FallbackTrigger trigger = request.lastFailure()
                .map(last -> FallbackTrigger.of(last.failure()))
                .orElse(FallbackTrigger.UNAVAILABLE);
        for (ModelGroupName fallback :
                parts.rules().fallbacks().after(requested.get().name(), trigger)) {
            Optional<ModelGroup> group = groups.find(fallback.value());
            if (group.isEmpty() || request.pastDeadline()) {
                continue;
            }
            LOG.log(
                    Level.INFO,
                    "model group {0} could not serve; falling back to {1} (request {2})",
                    requested.get().name(),
                    fallback,
                    journal.id());
            parts.telemetry().fallback(requested.get().name(), fallback);
            Routed<T> fallbackOutcome = request.tryGroup(group.get(), false);
            if (fallbackOutcome instanceof Routed.Served<T>) {
                return fallbackOutcome;
            }
        }
        if (trigger == FallbackTrigger.UNAVAILABLE && parts.rests().lone(requested.get()) && !request.pastDeadline()) {
            // The fallbacks could not serve either: the resting deployment may answer after all.
            LOG.log(
                    Level.INFO,
                    "fallbacks of {0} could not serve; trying its resting deployment (request {1})",
                    requested.get().name(),
                    journal.id());
            Routed<T> lastResort = request.tryGroup(requested.get(), true);
            if (lastResort instanceof Routed.Served<T>) {
                return lastResort;
            }
        }
        // A request that reached an upstream answers with the last upstream error, never a synthetic one.
        return request.lastFailure()
                .<Routed<T>>map(last ->
                        new Routed.Refused<>(new GatewayError.UpstreamFailed(last.deployment(), last.failure())))
                .orElse(outcome);
    }

    /**
     * Finds a deployment to continue an answer whose stream broke after the client got part of it: the broken
     * deployment's failure is recorded as any failure of the call that broke is, then the candidates are those the
     * request would have moved on to (the broken deployment's group mates, a lone deployment again after its backoff
     * when the retry policy allows, then the requested group's fallbacks), among them only deployments that can
     * continue an answer, and nothing after the request's deadline. Every call is a gateway-built one (role
     * {@link HopRole#RESUME}): a refusal of the continuation never counts against the deployment that refused it.
     *
     * @param model    the model group the client asked for
     * @param broken   the deployment whose stream broke
     * @param brokenOn who built the call that broke: the client's request, or an earlier continuation (the gateway's)
     * @param failure  how it broke
     * @param broke    every deployment whose stream broke for this answer: tried only when no other is left
     * @param deadline the client request's deadline
     * @param journal  where each call is written down
     * @param call     the continuation's call; it must not throw for upstream trouble
     * @return the first deployment that continued, or the last failure (the caller reports the break instead)
     */
    public <T> Routed<T> resume(
            String model,
            Deployment broken,
            HopKind brokenOn,
            ProviderFailure failure,
            Set<DeploymentId> broke,
            Instant deadline,
            RequestJournal journal,
            Function<Upstream, Attempt<T>> call) {
        Routed<T> outcome = continuation(model, broken, brokenOn, failure, broke, deadline, journal, call);
        parts.telemetry().streamRescue(broken, outcome instanceof Routed.Served<T> ? "continued" : "failed");
        return outcome;
    }

    private <T> Routed<T> continuation(
            String model,
            Deployment broken,
            HopKind brokenOn,
            ProviderFailure failure,
            Set<DeploymentId> broke,
            Instant deadline,
            RequestJournal journal,
            Function<Upstream, Attempt<T>> call) {
        Optional<ModelGroup> requested = groups.find(model);
        Optional<ModelGroup> brokenGroup = groups.find(broken.group().value());
        if (requested.isEmpty() || brokenGroup.isEmpty()) {
            return new Routed.Refused<>(new GatewayError.UpstreamFailed(broken.id(), failure));
        }
        RequestAttempts<T> request =
                new RequestAttempts<>(parts, HopKind.GATEWAY_FOLLOW_UP, journal, call, deadline, true);
        if (request.pastDeadline()) {
            return new Routed.Refused<>(new GatewayError.UpstreamFailed(broken.id(), failure));
        }
        Routed<T> outcome = request.tryGroupAfter(brokenGroup.get(), broken, brokenOn, failure, broke);
        if (outcome instanceof Routed.Served<T>) {
            return outcome;
        }
        for (ModelGroupName fallback :
                parts.rules().fallbacks().after(requested.get().name(), FallbackTrigger.of(failure))) {
            Optional<ModelGroup> group = groups.find(fallback.value());
            if (group.isEmpty() || group.get().name().equals(broken.group()) || request.pastDeadline()) {
                continue;
            }
            Routed<T> fallbackOutcome = request.tryGroup(group.get(), false);
            if (fallbackOutcome instanceof Routed.Served<T>) {
                return fallbackOutcome;
            }
        }
        return new Routed.Refused<>(new GatewayError.UpstreamFailed(broken.id(), failure));
    }

    /**
     * Calls an already bound upstream (a search loop's follow-up), retrying it as the retry policy allows but never
     * moving to another deployment: every hop of a loop stays where the loop started. The call counts against the
     * deployment only for the upstream's own trouble, as a gateway-built hop.
     *
     * @param bound   the upstream of the loop's first hop
     * @param journal where each call is written down
     * @param call    the call; it must not throw for upstream trouble
     * @return the success, or the bound upstream's own failure
     */
    public <T> FollowUp<T> followUp(Upstream bound, RequestJournal journal, Function<Upstream, Attempt<T>> call) {
        Deployment deployment = bound.deployment();
        int groupSize = groups.find(deployment.group().value())
                .map(g -> g.deployments().size())
                .orElse(1);
        for (int retries = 0; ; retries++) {
            CountedCall<T> counted = CountedCall.make(
                    parts.telemetry(),
                    new Attempting(bound, Instant.MAX, journal.open(deployment, HopRole.FOLLOW_UP)),
                    parts.meter().enter(deployment),
                    call);
            ProviderFailure failure;
            switch (counted.attempt()) {
                case Attempt.Succeeded<T> succeeded -> {
                    return new FollowUp.Served<>(succeeded.value(), counted.release());
                }
                case Attempt.Failed<T> failed -> failure = failed.failure();
            }
            parts.failures().record(deployment, failure, HopKind.GATEWAY_FOLLOW_UP, groupSize, journal);
            RetryDecision decision = parts.rules()
                    .retries()
                    .decide(failure, retries, false, parts.random().nextDouble());
            if (!(decision instanceof RetryDecision.Retry retry) || !parts.pause(retry.delay())) {
                return new FollowUp.Failed<>(failure);
            }
        }
    }
}
