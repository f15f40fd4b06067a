package dev.keyline.application.routing;

import dev.keyline.domain.deployment.Deployment;
import dev.keyline.domain.failure.ProviderFailure;
import dev.keyline.domain.routing.CooldownDecision;
import dev.keyline.domain.routing.CooldownPolicy;
import dev.keyline.domain.routing.FailureClass;
import dev.keyline.domain.routing.FailureReport;
import dev.keyline.domain.routing.FallbackTrigger;
import dev.keyline.domain.routing.HopKind;
import dev.keyline.domain.routing.RouterRules;
import dev.keyline.ports.in.RequestJournal;
import dev.keyline.ports.out.CooldownStore;
import dev.keyline.ports.out.Telemetry;
import java.lang.System.Logger.Level;
import java.time.InstantSource;

/**
 * Writes down a deployment's failure: counts it when it says something about the deployment's health, and rests
 * the deployment when the cooldown policy decides so.
 */
final class FailureRecorder {

    private static final System.Logger LOG = System.getLogger(Router.class.getName());

    private final CooldownStore cooldowns;
    private final RouterRules rules;
    private final InstantSource clock;
    private final Telemetry telemetry;

    FailureRecorder(CooldownStore cooldowns, RouterRules rules, InstantSource clock, Telemetry telemetry) {
        this.cooldowns = cooldowns;
        this.rules = rules;
        this.clock = clock;
        this.telemetry = telemetry;
    }

    /**
     * @param hop       who built the failed call (a gateway-built follow-up counts only for the upstream's trouble)
     * @param groupSize how many deployments the failed one's group has
     */
    void record(Deployment deployment, ProviderFailure failure, HopKind hop, int groupSize, RequestJournal journal) {
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
}
