package dev.keyline.application.routing;

import dev.keyline.domain.deployment.Deployment;
import dev.keyline.domain.deployment.DeploymentId;
import dev.keyline.domain.deployment.ModelGroup;
import dev.keyline.domain.deployment.ModelGroupName;
import dev.keyline.domain.deployment.ModelGroups;
import dev.keyline.domain.failure.ProviderFailure;
import dev.keyline.domain.routing.Cooldown;
import dev.keyline.domain.routing.CooldownDecision;
import dev.keyline.domain.routing.CooldownPolicy;
import dev.keyline.domain.routing.DeploymentSelector;
import dev.keyline.domain.routing.FailureClass;
import dev.keyline.domain.routing.FailureReport;
import dev.keyline.domain.routing.FallbackTrigger;
import dev.keyline.domain.routing.HopKind;
import dev.keyline.domain.routing.RetryDecision;
import dev.keyline.domain.routing.RouterRules;
import dev.keyline.domain.routing.UsageLimit;
import dev.keyline.ports.in.GatewayError;
import dev.keyline.ports.in.HopRole;
import dev.keyline.ports.in.RequestJournal;
import dev.keyline.ports.out.Admission;
import dev.keyline.ports.out.CooldownStore;
import dev.keyline.ports.out.HopObserver;
import dev.keyline.ports.out.ProviderReply;
import dev.keyline.ports.out.ProviderRequest;
import dev.keyline.ports.out.ProviderStream;
import dev.keyline.ports.out.Sleeper;
import dev.keyline.ports.out.Telemetry;
import dev.keyline.ports.out.TokenCount;
import dev.keyline.ports.out.Upstream;
import dev.keyline.ports.out.Upstreams;
import dev.keyline.ports.out.UsageMeter;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.random.RandomGenerator;
import java.util.stream.Collectors;

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
    private final Upstreams upstreams;
    private final RouterRules rules;
    private final CooldownStore cooldowns;
    private final Sleeper sleeper;
    private final RandomGenerator random;
    private final InstantSource clock;
    private final UsageMeter meter;
    private final Telemetry telemetry;

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
        this.upstreams = Objects.requireNonNull(upstreams, "'upstreams' must not be null");
        this.rules = Objects.requireNonNull(rules, "'rules' must not be null");
        this.cooldowns = Objects.requireNonNull(cooldowns, "'cooldowns' must not be null");
        this.sleeper = Objects.requireNonNull(sleeper, "'sleeper' must not be null");
        this.random = Objects.requireNonNull(random, "'random' must not be null");
        this.clock = Objects.requireNonNull(clock, "'clock' must not be null");
        this.meter = Objects.requireNonNull(meter, "'meter' must not be null");
        this.telemetry = Objects.requireNonNull(telemetry, "'telemetry' must not be null");
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
        Request<T> request = new Request<>(hop, journal, call, clock.instant().plus(rules.deadline()));
        Routed<T> outcome = request.tryGroup(requested.get(), false);
        if (outcome instanceof Routed.Served<T>) {
            return outcome;
        }
        FallbackTrigger trigger = request.lastFailure == null
                ? FallbackTrigger.UNAVAILABLE
                : FallbackTrigger.of(request.lastFailure.failure());
        for (ModelGroupName fallback : rules.fallbacks().after(requested.get().name(), trigger)) {
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
            telemetry.fallback(requested.get().name(), fallback);
            Routed<T> fallbackOutcome = request.tryGroup(group.get(), false);
            if (fallbackOutcome instanceof Routed.Served<T>) {
                return fallbackOutcome;
            }
        }
        if (trigger == FallbackTrigger.UNAVAILABLE && isResting(requested.get()) && !request.pastDeadline()) {
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
        return request.lastFailure != null
                ? new Routed.Refused<>(new GatewayError.UpstreamFailed(
                        request.lastFailure.deployment(), request.lastFailure.failure()))
                : outcome;
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
            Counted<T> counted = counted(
                    new Attempting(bound, Instant.MAX, journal.open(deployment, HopRole.FOLLOW_UP)),
                    meter.enter(deployment),
                    call);
            ProviderFailure failure;
            switch (counted.attempt()) {
                case Attempt.Succeeded<T> succeeded -> {
                    return new FollowUp.Served<>(succeeded.value(), counted.release());
                }
                case Attempt.Failed<T> failed -> failure = failed.failure();
            }
            record(deployment, failure, HopKind.GATEWAY_FOLLOW_UP, groupSize, journal);
            RetryDecision decision = rules.retries().decide(failure, retries, false, random.nextDouble());
            if (!(decision instanceof RetryDecision.Retry retry) || !pause(retry.delay())) {
                return new FollowUp.Failed<>(failure);
            }
        }
    }

    /** An attempt, and the end of its in-flight count (already run when the attempt failed). */
    private record Counted<T>(Attempt<T> attempt, Runnable release) {}

    /** @param release ends the call's in-flight count */
    private <T> Counted<T> counted(Upstream upstream, Runnable release, Function<Upstream, Attempt<T>> call) {
        Attempt<T> attempt;
        try {
            attempt = call.apply(upstream);
        } catch (RuntimeException e) {
            release.run();
            throw e;
        }
        switch (attempt) {
            case Attempt.Succeeded<T> succeeded -> telemetry.attempt(upstream.deployment(), "ok");
            case Attempt.Failed<T> failed -> {
                release.run();
                telemetry.attempt(
                        upstream.deployment(), FailureClass.of(failed.failure()).label());
            }
        }
        return new Counted<>(attempt, release);
    }

    private void record(
            Deployment deployment, ProviderFailure failure, HopKind hop, int groupSize, RequestJournal journal) {
        FailureClass failureClass = FailureClass.of(failure);
        int inWindow = failureClass.isHealthSignal() ? cooldowns.recordFailure(deployment.id(), failureClass) : 0;
        boolean hasFallbacks = !rules.fallbacks()
                .after(deployment.group(), FallbackTrigger.UNAVAILABLE)
                .isEmpty();
        CooldownDecision decision = rules.cooldowns()
                .decide(new FailureReport(
                        deployment, failure, hop, groupSize, hasFallbacks, inWindow, clock.instant()));
        switch (decision) {
            case CooldownDecision.Cool cool -> {
                cooldowns.coolDown(cool.cooldown());
                telemetry.cooldownStarted(deployment, failureClass);
                LOG.log(
                        Level.WARNING,
                        "deployment {0} of {1} cools down until {2}: {3} (request {4})",
                        deployment.id(),
                        deployment.group(),
                        cool.cooldown().until(),
                        cool.cooldown().reason(),
                        journal.id());
            }
            case CooldownDecision.Stay stay ->
                LOG.log(
                        Level.DEBUG,
                        "deployment {0} failed ({1}); not cooled: {2}",
                        deployment.id(),
                        CooldownPolicy.describe(failure),
                        stay.why());
        }
    }

    private record LastFailure(DeploymentId deployment, ProviderFailure failure) {}

    /** The attempts of one client request, across its group and its fallbacks. */
    private final class Request<T> {

        private final HopKind hop;
        private final RequestJournal journal;
        private final Function<Upstream, Attempt<T>> call;
        private final Instant deadline;
        private int attempts;
        private LastFailure lastFailure;

        Request(HopKind hop, RequestJournal journal, Function<Upstream, Attempt<T>> call, Instant deadline) {
            this.hop = hop;
            this.journal = journal;
            this.call = call;
            this.deadline = deadline;
        }

        private Predicate<DeploymentId> unavailable(
                boolean ignoringRests, Set<DeploymentId> silent, Map<DeploymentId, Admission.AtLimit> atLimit) {
            Predicate<DeploymentId> resting = ignoringRests ? id -> false : coolingAt(clock.instant());
            return resting.or(silent::contains).or(atLimit::containsKey);
        }

        boolean pastDeadline() {
            return !clock.instant().isBefore(deadline);
        }

        /** @param ignoringRests whether resting deployments may be picked (the last resort of a resting group) */
        Routed<T> tryGroup(ModelGroup group, boolean ignoringRests) {
            Set<DeploymentId> tried = new HashSet<>();
            // A deployment that timed out is not asked again for this request: it would keep the client waiting.
            Set<DeploymentId> silent = new HashSet<>();
            // Deployments at a limit are skipped, never counted as failed: the limit is the operator's, not trouble.
            Map<DeploymentId, Admission.AtLimit> atLimit = new HashMap<>();
            int retries = 0;
            boolean firstInGroup = true;
            while (true) {
                Predicate<DeploymentId> cooling = unavailable(ignoringRests, silent, atLimit);
                Optional<Deployment> pick = DeploymentSelector.select(
                        rules.strategy(), group.deployments(), cooling, tried, meter::inFlight, random);
                if (pick.isEmpty()) {
                    return new Routed.Refused<>(
                            atLimit.isEmpty()
                                    ? new GatewayError.AllCoolingDown(group.name(), soonestEnd(group))
                                    : atLimit(group, atLimit));
                }
                Deployment deployment = pick.get();
                Runnable release;
                switch (meter.admit(deployment)) {
                    case Admission.AtLimit limit -> {
                        LOG.log(
                                Level.DEBUG,
                                "deployment {0} is at its {1} limit",
                                deployment.id(),
                                limit.limit().configName());
                        atLimit.put(deployment.id(), limit);
                        telemetry.limitReached(deployment, limit.limit(), limit.retryIn());
                        continue;
                    }
                    case Admission.Admitted admitted -> release = admitted.leave();
                }
                tried.add(deployment.id());
                // The resting group's last resort is the requested group once more: a retry, not a fallback.
                HopRole role = attempts == 0
                        ? HopRole.FIRST
                        : firstInGroup && !ignoringRests ? HopRole.FALLBACK : HopRole.RETRY;
                attempts++;
                firstInGroup = false;
                Upstream upstream = upstreams.of(deployment);
                Counted<T> counted =
                        counted(new Attempting(upstream, deadline, journal.open(deployment, role)), release, call);
                ProviderFailure failure;
                switch (counted.attempt()) {
                    case Attempt.Succeeded<T> succeeded -> {
                        return new Routed.Served<>(succeeded.value(), upstream, attempts, counted.release());
                    }
                    case Attempt.Failed<T> failed -> failure = failed.failure();
                }
                lastFailure = new LastFailure(deployment.id(), failure);
                if (FailureClass.of(failure) == FailureClass.TIMEOUT) {
                    silent.add(deployment.id());
                }
                record(deployment, failure, hop, group.deployments().size(), journal);
                boolean untried = DeploymentSelector.hasUntried(
                        group.deployments(), unavailable(ignoringRests, silent, atLimit), tried);
                RetryDecision decision = rules.retries().decide(failure, retries, untried, random.nextDouble());
                if (decision instanceof RetryDecision.Retry retry) {
                    if (!clock.instant().plus(retry.delay()).isBefore(deadline)) {
                        decision = new RetryDecision.Stop("the request's deadline would pass during the wait");
                    } else if (!ignoringRests && allResting(group)) {
                        decision =
                                new RetryDecision.Stop("the group rests now; waiting would only delay the fallbacks");
                    }
                }
                switch (decision) {
                    case RetryDecision.Stop stop -> {
                        LOG.log(Level.DEBUG, "not retrying {0}: {1}", deployment.id(), stop.why());
                        return new Routed.Refused<>(new GatewayError.UpstreamFailed(deployment.id(), failure));
                    }
                    case RetryDecision.Retry retry -> {
                        if (!pause(retry.delay())) {
                            return new Routed.Refused<>(new GatewayError.UpstreamFailed(deployment.id(), failure));
                        }
                        retries++;
                    }
                }
            }
        }
    }

    private static GatewayError.AtLimit atLimit(ModelGroup group, Map<DeploymentId, Admission.AtLimit> atLimit) {
        Duration soonest = atLimit.values().stream()
                .map(Admission.AtLimit::retryIn)
                .min(Duration::compareTo)
                .orElseThrow();
        Set<UsageLimit> limits =
                atLimit.values().stream().map(Admission.AtLimit::limit).collect(Collectors.toSet());
        return new GatewayError.AtLimit(group.name(), soonest, limits);
    }

    /** @return whether the group is one deployment, resting now (see {@link CooldownPolicy}) */
    private boolean isResting(ModelGroup group) {
        return group.deployments().size() == 1 && allResting(group);
    }

    private boolean allResting(ModelGroup group) {
        Predicate<DeploymentId> cooling = coolingAt(clock.instant());
        return group.deployments().stream().allMatch(d -> cooling.test(d.id()));
    }

    private Predicate<DeploymentId> coolingAt(Instant now) {
        return id -> cooldowns.activeCooldown(id).filter(c -> c.isActiveAt(now)).isPresent();
    }

    private Duration soonestEnd(ModelGroup group) {
        Instant now = clock.instant();
        return group.deployments().stream()
                .map(d -> cooldowns.activeCooldown(d.id()))
                .flatMap(Optional::stream)
                .map(Cooldown::until)
                .min(Instant::compareTo)
                .map(until -> Duration.between(now, until))
                .filter(d -> !d.isNegative())
                .orElse(Duration.ZERO);
    }

    private boolean pause(Duration delay) {
        if (delay.isZero()) {
            return true;
        }
        try {
            sleeper.sleep(delay);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * The upstream of one attempt: holds every request to the client request's deadline, and has the call heard by
     * its entry in the request's journal.
     */
    private record Attempting(Upstream upstream, Instant deadline, HopObserver hop) implements Upstream {
        @Override
        public Deployment deployment() {
            return upstream.deployment();
        }

        @Override
        public ProviderReply send(ProviderRequest request) {
            return upstream.send(request.answeringBy(deadline).observedBy(hop));
        }

        @Override
        public ProviderStream stream(ProviderRequest request) {
            return upstream.stream(request.answeringBy(deadline).observedBy(hop));
        }

        @Override
        public TokenCount countTokens(ProviderRequest request) {
            return upstream.countTokens(request.answeringBy(deadline).observedBy(hop));
        }
    }
}
