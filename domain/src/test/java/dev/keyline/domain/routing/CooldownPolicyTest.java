package dev.keyline.domain.routing;

import static dev.keyline.domain.routing.RoutingTestData.NOW;
import static dev.keyline.domain.routing.RoutingTestData.deployment;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;

import dev.keyline.domain.deployment.Deployment;
import dev.keyline.domain.deployment.RoutingHints;
import dev.keyline.domain.failure.ProviderFailure;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CooldownPolicyTest {

    private static final CooldownPolicy DEFAULTS = CooldownPolicy.defaults();
    private static final List<ProviderFailure> FAILURES = RoutingTestData.everyKindOfFailure();

    @ParameterizedTest(name = "HTTP {0}: failure {1} in the window of a group of two cools: {2}")
    @CsvSource({
        "429, 1, true",
        "529, 1, true",
        "503, 1, true",
        "401, 1, true",
        "403, 1, true",
        "404, 1, true",
        "500, 3, false",
        "500, 4, true",
        "502, 4, true",
        "400, 50, false",
        "413, 50, false",
        "422, 50, false"
    })
    void defaultTolerance_perStatus(int status, int failuresInWindow, boolean cools) {
        ProviderFailure failure = ProviderFailure.fromHttpStatus(status, "", Optional.empty());

        CooldownDecision decision = DEFAULTS.decide(report(deployment("a"), failure, 2, failuresInWindow));

        assertEquals(cools, decision instanceof CooldownDecision.Cool, decision.toString());
    }

    @Test
    void timeoutsAndConnectionFailures_coolAfterThreeInAWindow_unusableRepliesNever() {
        assertInstanceOf(
                CooldownDecision.Stay.class,
                DEFAULTS.decide(report(deployment("a"), new ProviderFailure.Timeout(Duration.ofSeconds(1)), 2, 3)));
        assertInstanceOf(
                CooldownDecision.Cool.class,
                DEFAULTS.decide(report(deployment("a"), new ProviderFailure.ConnectionFailed("x"), 2, 4)));
        assertInstanceOf(
                CooldownDecision.Stay.class,
                DEFAULTS.decide(report(deployment("a"), new ProviderFailure.MalformedReply(200, "x"), 2, 99)));
    }

    @Test
    void theRestLasts_theDeploymentsOwnTime_elseRetryAfter_elseTheDefault() {
        ProviderFailure limited = ProviderFailure.fromHttpStatus(429, "", Optional.of(Duration.ofSeconds(7)));
        Deployment ownTime = deployment(
                "a",
                new RoutingHints(
                        1,
                        OptionalInt.empty(),
                        OptionalInt.empty(),
                        OptionalInt.empty(),
                        OptionalInt.empty(),
                        Optional.of(Duration.ofSeconds(60))));

        assertEquals(NOW.plusSeconds(60), until(DEFAULTS.decide(report(ownTime, limited, 2, 1))));
        assertEquals(NOW.plusSeconds(7), until(DEFAULTS.decide(report(deployment("a"), limited, 2, 1))));
        assertEquals(
                NOW.plusSeconds(5),
                until(DEFAULTS.decide(
                        report(deployment("a"), ProviderFailure.fromHttpStatus(401, "", Optional.empty()), 2, 1))));
    }

    @Test
    void retryAfter_isCapped() {
        ProviderFailure longWait = ProviderFailure.fromHttpStatus(429, "", Optional.of(Duration.ofHours(3)));

        assertEquals(
                NOW.plus(CooldownPolicy.DEFAULT_MAX_COOLDOWN),
                until(DEFAULTS.decide(report(deployment("a"), longWait, 2, 1))));
    }

    @Test
    void aDeploymentCooldownTimeOfZero_meansNeverCool() {
        Deployment never = deployment(
                "a",
                new RoutingHints(
                        1,
                        OptionalInt.empty(),
                        OptionalInt.empty(),
                        OptionalInt.empty(),
                        OptionalInt.empty(),
                        Optional.of(Duration.ZERO)));

        assertInstanceOf(CooldownDecision.Stay.class, DEFAULTS.decide(report(never, FAILURES.getFirst(), 2, 9)));
    }

    @Test
    void allowedFails_andThePolicyPerClass_setTheTolerance() {
        ProviderFailure limited = FAILURES.getFirst();
        CooldownPolicy lenient = new CooldownPolicy(
                Duration.ofSeconds(5),
                Duration.ofMinutes(5),
                OptionalInt.of(2),
                Map.of(FailureClass.AUTHENTICATION, 5),
                false);

        assertInstanceOf(CooldownDecision.Stay.class, lenient.decide(report(deployment("a"), limited, 2, 2)));
        assertInstanceOf(CooldownDecision.Cool.class, lenient.decide(report(deployment("a"), limited, 2, 3)));
        ProviderFailure refused = ProviderFailure.fromHttpStatus(401, "", Optional.empty());
        assertInstanceOf(CooldownDecision.Stay.class, lenient.decide(report(deployment("a"), refused, 2, 5)));
        assertInstanceOf(CooldownDecision.Cool.class, lenient.decide(report(deployment("a"), refused, 2, 6)));
    }

    @Test
    void aFollowUpTheGatewayBuilt_coolsOnlyOnTheUpstreamsOwnTrouble() {
        ProviderFailure refused = ProviderFailure.fromHttpStatus(401, "", Optional.empty());
        ProviderFailure limited = FAILURES.getFirst();

        assertInstanceOf(
                CooldownDecision.Stay.class,
                DEFAULTS.decide(
                        new FailureReport(deployment("a"), refused, HopKind.GATEWAY_FOLLOW_UP, 2, false, 1, NOW)));
        assertInstanceOf(
                CooldownDecision.Cool.class,
                DEFAULTS.decide(
                        new FailureReport(deployment("a"), limited, HopKind.GATEWAY_FOLLOW_UP, 2, false, 1, NOW)));
    }

    @Test
    void aSingleDeploymentGroupWithoutFallbacks_neverCools_whateverTheFailureSettingsOrCounts() {
        qt().forAll(
                        integers().between(0, FAILURES.size() - 1),
                        integers().between(1, 10_000),
                        integers().between(0, 5),
                        integers().between(0, 3))
                .checkAssert((failure, count, allowed, flags) -> {
                    boolean policyNamesIt = (flags & 1) != 0;
                    boolean followUp = (flags & 2) != 0;
                    CooldownPolicy policy = new CooldownPolicy(
                            Duration.ofSeconds(5),
                            Duration.ofMinutes(5),
                            OptionalInt.of(allowed),
                            policyNamesIt ? Map.of(FailureClass.of(FAILURES.get(failure)), 0) : Map.of(),
                            false);
                    FailureReport report = new FailureReport(
                            deployment("lone"),
                            FAILURES.get(failure),
                            followUp ? HopKind.GATEWAY_FOLLOW_UP : HopKind.CLIENT_REQUEST,
                            1,
                            false,
                            count,
                            NOW);

                    assertInstanceOf(CooldownDecision.Stay.class, policy.decide(report));
                });
    }

    @Test
    void clientErrors_neverCool_inAnyGroup() {
        List<ProviderFailure> clientErrors = List.of(
                ProviderFailure.fromHttpStatus(400, "", Optional.empty()),
                ProviderFailure.fromHttpStatus(413, "", Optional.empty()),
                ProviderFailure.fromHttpStatus(422, "", Optional.empty()),
                ProviderFailure.fromHttpStatus(400, "blocked by content policy", Optional.empty()));
        qt().forAll(
                        integers().between(0, clientErrors.size() - 1),
                        integers().between(2, 50),
                        integers().between(1, 10_000))
                .checkAssert((failure, groupSize, count) -> assertInstanceOf(
                        CooldownDecision.Stay.class,
                        DEFAULTS.decide(report(deployment("a"), clientErrors.get(failure), groupSize, count))));
    }

    @Test
    void disabledCooldowns_neverCool() {
        CooldownPolicy off =
                new CooldownPolicy(Duration.ofSeconds(5), Duration.ofMinutes(5), OptionalInt.empty(), Map.of(), true);

        assertInstanceOf(CooldownDecision.Stay.class, off.decide(report(deployment("a"), FAILURES.getFirst(), 3, 10)));
    }

    private static FailureReport report(Deployment deployment, ProviderFailure failure, int groupSize, int count) {
        return new FailureReport(deployment, failure, HopKind.CLIENT_REQUEST, groupSize, false, count, NOW);
    }

    @Test
    void aSingleDeploymentGroupWithFallbacks_restsOnlyForItsOwnTrouble_andOnlyBriefly() {
        qt().forAll(integers().between(0, FAILURES.size() - 1), integers().between(1, 100))
                .checkAssert((index, count) -> {
                    ProviderFailure failure = FAILURES.get(index);
                    CooldownDecision decision = DEFAULTS.decide(new FailureReport(
                            deployment("lone"), failure, HopKind.CLIENT_REQUEST, 1, true, count, NOW));
                    FailureClass failureClass = FailureClass.of(failure);
                    boolean over = count > DEFAULTS.allowedFor(failureClass);
                    if (failureClass.isTransient() && over) {
                        // Never longer than cooldown_time, whatever Retry-After asks: the rest is also its probe.
                        assertTrue(!until(decision).isAfter(NOW.plus(CooldownPolicy.DEFAULT_COOLDOWN)));
                    } else {
                        assertInstanceOf(CooldownDecision.Stay.class, decision);
                    }
                });
    }

    @Test
    void aSingleDeploymentGroupWithFallbacks_rateLimitedForAMinute_restsFiveSeconds() {
        ProviderFailure limited = ProviderFailure.fromHttpStatus(429, "slow down", Optional.of(Duration.ofSeconds(60)));

        CooldownDecision decision = DEFAULTS.decide(
                new FailureReport(deployment("lone"), limited, HopKind.CLIENT_REQUEST, 1, true, 1, NOW));

        assertEquals(NOW.plusSeconds(5), until(decision));
    }

    private static Instant until(CooldownDecision decision) {
        return assertInstanceOf(CooldownDecision.Cool.class, decision)
                .cooldown()
                .until();
    }
}
