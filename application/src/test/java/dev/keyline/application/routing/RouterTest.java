package dev.keyline.application.routing;

import static dev.keyline.domain.testing.TestDeployments.deployment;
import static dev.keyline.ports.testing.TestMessages.command;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keyline.adapters.state.InProcessUsageMeter;
import dev.keyline.application.messages.HandleMessagesService;
import dev.keyline.application.messages.WebSearchInterception;
import dev.keyline.domain.deployment.Deployment;
import dev.keyline.domain.deployment.DeploymentId;
import dev.keyline.domain.deployment.ModelGroupName;
import dev.keyline.domain.deployment.ModelGroups;
import dev.keyline.domain.deployment.RoutingHints;
import dev.keyline.domain.failure.ProviderFailure;
import dev.keyline.domain.routing.Cooldown;
import dev.keyline.domain.routing.CooldownPolicy;
import dev.keyline.domain.routing.Fallbacks;
import dev.keyline.domain.routing.HopKind;
import dev.keyline.domain.routing.RetryPolicy;
import dev.keyline.domain.routing.RouterRules;
import dev.keyline.domain.routing.RoutingStrategy;
import dev.keyline.domain.routing.UsageLimit;
import dev.keyline.ports.in.GatewayError;
import dev.keyline.ports.in.MessagesResult;
import dev.keyline.ports.in.MessagesStreamResult;
import dev.keyline.ports.in.RequestJournal;
import dev.keyline.ports.out.Telemetry;
import dev.keyline.ports.testing.InMemoryCooldownStore;
import dev.keyline.ports.testing.MutableClock;
import dev.keyline.ports.testing.NoEventCodec;
import dev.keyline.ports.testing.RecordingSleeper;
import dev.keyline.ports.testing.ScriptedProvider;
import dev.keyline.ports.testing.TestUpstreams;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class RouterTest {

    private static final ProviderFailure RATE_LIMITED =
            ProviderFailure.fromHttpStatus(429, "{\"type\":\"error\"}", Optional.empty());
    private static final ProviderFailure UNAUTHORIZED = ProviderFailure.fromHttpStatus(
            401, "{\"type\":\"error\",\"error\":{\"type\":\"authentication_error\"}}", Optional.empty());
    private static final ProviderFailure SERVER_ERROR = ProviderFailure.fromHttpStatus(500, "oops", Optional.empty());
    private static final ProviderFailure BAD_REQUEST = ProviderFailure.fromHttpStatus(400, "bad", Optional.empty());

    private final MutableClock clock = MutableClock.atSomeMoment();
    private final InMemoryCooldownStore cooldowns = new InMemoryCooldownStore(clock);
    private final RecordingSleeper sleeper = new RecordingSleeper(clock);
    private final ScriptedProvider provider = new ScriptedProvider();

    @Test
    void eachAttempt_getsTheWholeDeploymentOfTheRequestedGroup() {
        Deployment kimi = deployment("kimi-a", "kimi");
        var service = service(RouterRules.defaults(), deployment("qwen-a", "qwen"), kimi);

        MessagesResult result = service.handle(command("kimi", false));

        assertEquals(List.of(kimi), provider.calls());
        MessagesResult.Answered answered = assertInstanceOf(MessagesResult.Answered.class, result);
        assertEquals(new DeploymentId("kimi-a"), answered.servedBy());
        assertEquals(1, answered.attempts());
    }

    @Test
    void anUnknownModel_isRefusedWithoutAnyCall() {
        var service = service(RouterRules.defaults(), deployment("a", "g"));

        assertEquals(
                new GatewayError.UnknownModel("claude-opus"),
                assertInstanceOf(MessagesResult.Refused.class, service.handle(command("claude-opus", false)))
                        .error());
        assertTrue(provider.calls().isEmpty());
    }

    @Test
    void aRateLimitedDeployment_coolsDown_andItsGroupMateServesAtOnce_untilTheCooldownEnds() {
        provider.failing("a", RATE_LIMITED);
        var service = service(
                RouterRules.defaults(),
                deployment("a", "g", RoutingHints.defaults().withOrder(1)),
                deployment("b", "g", RoutingHints.defaults().withOrder(2)));

        MessagesResult first = service.handle(command("g", false));
        for (int i = 0; i < 5; i++) {
            service.handle(command("g", false));
        }

        assertEquals(
                new DeploymentId("b"),
                assertInstanceOf(MessagesResult.Answered.class, first).servedBy());
        assertEquals(List.of("a", "b", "b", "b", "b", "b", "b"), provider.calledIds());
        assertEquals(List.of(), sleeper.waits(), "no wait when another deployment can take the retry");
        clock.advance(CooldownPolicy.DEFAULT_COOLDOWN);
        service.handle(command("g", false));
        assertEquals("a", provider.calledIds().get(7), "after its cooldown the first tier is tried again");
    }

    @Test
    void aLoneDeploymentThatAnswers401_returnsThat401EveryTime_andNeverCools() {
        provider.failing("kimi-a", UNAUTHORIZED);
        var service = service(RouterRules.defaults(), deployment("kimi-a", "kimi"));

        for (int i = 0; i < 20; i++) {
            GatewayError error = assertInstanceOf(MessagesResult.Refused.class, service.handle(command("kimi", false)))
                    .error();
            assertEquals(new GatewayError.UpstreamFailed(new DeploymentId("kimi-a"), UNAUTHORIZED), error);
        }
        assertEquals(20, provider.calls().size(), "one call per request: a refused key is not retried on itself");
        assertEquals(List.of(), cooldowns.activeCooldowns());
    }

    @Test
    void aLoneDeploymentsServerError_isRetriedWithBackoff_thenItsOwnErrorReturns() {
        provider.failing("a", SERVER_ERROR);
        var service = service(RouterRules.defaults(), deployment("a", "g"));

        GatewayError error = assertInstanceOf(MessagesResult.Refused.class, service.handle(command("g", false)))
                .error();

        assertEquals(new GatewayError.UpstreamFailed(new DeploymentId("a"), SERVER_ERROR), error);
        assertEquals(3, provider.calls().size());
        List<Duration> waits = sleeper.waits();
        assertEquals(2, waits.size());
        assertTrue(waits.get(0).toMillis() >= 375 && waits.get(0).toMillis() <= 500, waits.toString());
        assertTrue(waits.get(1).toMillis() >= 750 && waits.get(1).toMillis() <= 1000, waits.toString());
    }

    @Test
    void retryAfter_isWaitedOutWhenShort_andHandedToTheClientWhenLong() {
        provider.scripted(
                "a",
                call -> call == 1
                        ? Optional.of(ProviderFailure.fromHttpStatus(429, "", Optional.of(Duration.ofSeconds(2))))
                        : Optional.empty());
        var service = service(RouterRules.defaults(), deployment("a", "g"));
        assertInstanceOf(MessagesResult.Answered.class, service.handle(command("g", false)));
        assertEquals(List.of(Duration.ofSeconds(2)), sleeper.waits());

        ProviderFailure longWait = ProviderFailure.fromHttpStatus(429, "", Optional.of(Duration.ofSeconds(30)));
        provider.failing("a", longWait);
        GatewayError error = assertInstanceOf(MessagesResult.Refused.class, service.handle(command("g", false)))
                .error();
        assertEquals(new GatewayError.UpstreamFailed(new DeploymentId("a"), longWait), error);
        assertEquals(1, sleeper.waits().size());
    }

    @Test
    void anInvalidRequest_isNeitherRetriedNorFallenBack_norCooled() {
        provider.failing("a", BAD_REQUEST);
        var rules = withFallbacks(Map.of("g", List.of("backup")), Map.of());
        var service = service(rules, deployment("a", "g"), deployment("a2", "g"), deployment("z", "backup"));

        service.handle(command("g", false));

        assertEquals(1, provider.calls().size());
        assertEquals(List.of(), cooldowns.activeCooldowns());
    }

    @Test
    void aFallbackChain_servesFromTheBackup_withTheBackupsOwnDeployment() {
        provider.failing("primary-1", SERVER_ERROR).failing("primary-2", RATE_LIMITED);
        Deployment backup = deployment("backup-1", "backup");
        var rules = withFallbacks(Map.of("primary", List.of("backup")), Map.of());
        var service = service(rules, deployment("primary-1", "primary"), deployment("primary-2", "primary"), backup);

        MessagesResult result = service.handle(command("primary", false));

        MessagesResult.Answered answered = assertInstanceOf(MessagesResult.Answered.class, result);
        assertEquals(backup.id(), answered.servedBy());
        assertEquals(backup, provider.calls().getLast());
        assertEquals(
                "sk-key-of-backup-1",
                provider.calls().getLast().credentials().reveal().orElseThrow());
    }

    @Test
    void aPromptTooLong_goesToTheContextWindowFallback() {
        ProviderFailure tooLong = ProviderFailure.fromHttpStatus(
                400,
                "{\"type\":\"error\",\"error\":{\"type\":\"invalid_request_error\","
                        + "\"message\":\"prompt is too long: 215000 tokens > 200000 maximum\"}}",
                Optional.empty());
        provider.failing("short-1", tooLong);
        var rules = withFallbacks(Map.of("short", List.of("general")), Map.of("short", List.of("long")));
        var service = service(
                rules,
                deployment("short-1", "short"),
                deployment("general-1", "general"),
                deployment("long-1", "long"));

        MessagesResult result = service.handle(command("short", false));

        assertEquals(
                new DeploymentId("long-1"),
                assertInstanceOf(MessagesResult.Answered.class, result).servedBy());
        assertEquals(List.of("short-1", "long-1"), provider.calledIds());
    }

    @Test
    void whenEveryDeploymentIsCooling_theRequestIsRefusedWithTheSoonestEnd_withoutAnyCall() {
        var service = service(RouterRules.defaults(), deployment("a", "g"), deployment("b", "g"));
        cooldowns.coolDown(new Cooldown(
                new DeploymentId("a"),
                new ModelGroupName("g"),
                clock.instant().plusSeconds(30),
                "rate limited (HTTP 429)"));
        cooldowns.coolDown(new Cooldown(
                new DeploymentId("b"),
                new ModelGroupName("g"),
                clock.instant().plusSeconds(12),
                "rate limited (HTTP 429)"));

        GatewayError error = assertInstanceOf(MessagesResult.Refused.class, service.handle(command("g", false)))
                .error();

        assertEquals(new GatewayError.AllCoolingDown(new ModelGroupName("g"), Duration.ofSeconds(12)), error);
        assertTrue(provider.calls().isEmpty());
    }

    @Test
    void aRequestThatReachedAnUpstream_getsTheLastUpstreamError_notAllCooling() {
        provider.failing("a", RATE_LIMITED).failing("b", RATE_LIMITED);
        var service = service(RouterRules.defaults(), deployment("a", "g"), deployment("b", "g"));

        GatewayError error = assertInstanceOf(MessagesResult.Refused.class, service.handle(command("g", false)))
                .error();

        assertInstanceOf(GatewayError.UpstreamFailed.class, error);
        assertEquals(2, cooldowns.activeCooldowns().size());
    }

    @Test
    void aFollowUpTheGatewayBuilt_thatIsRefused_neverCoolsTheDeployment() {
        provider.failing("a", UNAUTHORIZED);
        Router router = router(RouterRules.defaults(), deployment("a", "g"), deployment("b", "g"));

        router.route(
                "g",
                HopKind.GATEWAY_FOLLOW_UP,
                RequestJournal.untracked(),
                upstream -> new Attempt.Failed<String>(UNAUTHORIZED));

        assertEquals(List.of(), cooldowns.activeCooldowns());
    }

    @Test
    void aStreamRefusedBeforeItsFirstByte_isRetriedOnTheGroupMate() {
        provider.failing("a", ProviderFailure.fromHttpStatus(529, "", Optional.empty()));
        var service = service(
                RouterRules.defaults(),
                deployment("a", "g", RoutingHints.defaults().withOrder(1)),
                deployment("b", "g", RoutingHints.defaults().withOrder(2)));

        MessagesStreamResult result = service.stream(command("g", true));

        MessagesStreamResult.Streaming streaming = assertInstanceOf(MessagesStreamResult.Streaming.class, result);
        assertEquals(new DeploymentId("b"), streaming.servedBy());
        assertEquals(2, streaming.attempts());
        streaming.events().close();
    }

    @Test
    void leastBusy_sendsTheNextRequestWhereFewerStreamsAreOpen() {
        var rules = new RouterRules(
                RoutingStrategy.LEAST_BUSY,
                RetryPolicy.withRetries(2),
                Fallbacks.none(),
                CooldownPolicy.defaults(),
                RouterRules.DEFAULT_DEADLINE);
        var service = service(rules, deployment("a", "g"), deployment("b", "g"));

        MessagesStreamResult.Streaming first =
                assertInstanceOf(MessagesStreamResult.Streaming.class, service.stream(command("g", true)));
        MessagesStreamResult.Streaming second =
                assertInstanceOf(MessagesStreamResult.Streaming.class, service.stream(command("g", true)));
        first.events().close();
        MessagesStreamResult.Streaming third =
                assertInstanceOf(MessagesStreamResult.Streaming.class, service.stream(command("g", true)));

        assertTrue(!first.servedBy().equals(second.servedBy()), "the second goes where nothing is open");
        assertEquals(first.servedBy(), third.servedBy(), "closing the first frees its deployment");
    }

    @Test
    void weights_shareTrafficInProportion() {
        var service = service(
                RouterRules.defaults(),
                deployment("heavy", "g", RoutingHints.defaults().withWeight(3)),
                deployment("light", "g"));

        for (int i = 0; i < 4000; i++) {
            service.handle(command("g", false));
        }

        long heavy = provider.calledIds().stream().filter("heavy"::equals).count();
        assertTrue(heavy > 2800 && heavy < 3200, "heavy served " + heavy + " of 4000");
    }

    @Test
    void aContentPolicyRefusal_isReturnedAsItCame_notAnsweredByTheGeneralFallback() {
        ProviderFailure refusal = ProviderFailure.fromHttpStatus(
                400,
                "{\"type\":\"error\",\"error\":{\"type\":\"invalid_request_error\","
                        + "\"message\":\"Output blocked by content filtering policy\"}}",
                Optional.empty());
        provider.failing("primary-1", refusal);
        var service = service(
                withFallbacks(Map.of("primary", List.of("backup")), Map.of()),
                deployment("primary-1", "primary"),
                deployment("backup-1", "backup"));

        GatewayError error = assertInstanceOf(MessagesResult.Refused.class, service.handle(command("primary", false)))
                .error();

        assertEquals(new GatewayError.UpstreamFailed(new DeploymentId("primary-1"), refusal), error);
        assertEquals(List.of("primary-1"), provider.calledIds());
    }

    @Test
    void
            aDeadLonePrimaryWithAFallback_restsAfterItsFailures_soLaterRequestsGoStraightToTheFallback_andItIsProbedAgain() {
        provider.failing("primary-1", new ProviderFailure.ConnectionFailed("the connection was refused"));
        var service = service(
                withFallbacks(Map.of("primary", List.of("backup")), Map.of()),
                deployment("primary-1", "primary"),
                deployment("backup-1", "backup"));

        for (int i = 0; i < 10; i++) {
            assertEquals(
                    new DeploymentId("backup-1"),
                    assertInstanceOf(MessagesResult.Answered.class, service.handle(command("primary", false)))
                            .servedBy());
        }
        long primaryCalls =
                provider.calledIds().stream().filter("primary-1"::equals).count();
        assertTrue(primaryCalls <= 4, "the dead primary rests once it failed past allowed_fails: " + primaryCalls);
        Duration waited = sleeper.waits().stream().reduce(Duration.ZERO, Duration::plus);
        assertTrue(
                waited.toMillis() <= 1500, "waits are paid while it is still tried, not on every request: " + waited);
        int before = provider.calls().size();
        service.handle(command("primary", false));
        assertEquals(
                List.of("backup-1"),
                provider.calledIds().subList(before, provider.calls().size()));

        clock.advance(CooldownPolicy.DEFAULT_COOLDOWN);
        service.handle(command("primary", false));
        assertEquals("primary-1", provider.calledIds().get(before + 1), "after its rest the primary is probed");
    }

    @Test
    void aRestingLonePrimary_isTriedAgain_whenItsFallbacksFailToo() {
        provider.failing("backup-1", SERVER_ERROR);
        cooldowns.coolDown(new Cooldown(
                new DeploymentId("primary-1"),
                new ModelGroupName("primary"),
                clock.instant().plusSeconds(5),
                "rate limited (HTTP 429)"));
        var service = service(
                withFallbacks(Map.of("primary", List.of("backup")), Map.of()),
                deployment("primary-1", "primary"),
                deployment("backup-1", "backup"));

        MessagesResult result = service.handle(command("primary", false));

        assertEquals(
                new DeploymentId("primary-1"),
                assertInstanceOf(MessagesResult.Answered.class, result).servedBy(),
                "a rest never refuses a request an upstream could answer");
        assertEquals("primary-1", provider.calledIds().getLast());
    }

    @Test
    void aTimeout_isNeverRetriedOnTheSameDeployment_theFallbackServesAtOnce() {
        provider.failing("primary-1", new ProviderFailure.Timeout(Duration.ofSeconds(10)));
        var service = service(
                withFallbacks(Map.of("primary", List.of("backup")), Map.of()),
                deployment("primary-1", "primary"),
                deployment("backup-1", "backup"));

        MessagesResult result = service.handle(command("primary", false));

        assertEquals(
                new DeploymentId("backup-1"),
                assertInstanceOf(MessagesResult.Answered.class, result).servedBy());
        assertEquals(List.of("primary-1", "backup-1"), provider.calledIds());
        assertEquals(List.of(), sleeper.waits());
    }

    @Test
    void theRequestDeadline_stopsRetriesThatWouldOutlastIt() {
        provider.failing("a", SERVER_ERROR);
        RouterRules defaults = RouterRules.defaults();
        var rules = new RouterRules(
                defaults.strategy(),
                defaults.retries(),
                defaults.fallbacks(),
                defaults.cooldowns(),
                Duration.ofSeconds(1));
        var service = service(rules, deployment("a", "g"));

        GatewayError error = assertInstanceOf(MessagesResult.Refused.class, service.handle(command("g", false)))
                .error();

        assertEquals(new GatewayError.UpstreamFailed(new DeploymentId("a"), SERVER_ERROR), error);
        assertEquals(2, provider.calls().size(), "the second backoff (about 1 s) would pass the 1 s deadline");
    }

    @Test
    void aDeploymentAtItsRpm_isSkippedWithoutCoolingIt_andAGroupAtItsLimitsAnswers429UntilTheNextMinute() {
        RoutingHints onePerMinute = RoutingHints.defaults().withLimits(1, 0, 0);
        var service =
                service(RouterRules.defaults(), deployment("a", "g", onePerMinute), deployment("b", "g", onePerMinute));

        MessagesResult.Answered first =
                assertInstanceOf(MessagesResult.Answered.class, service.handle(command("g", false)));
        MessagesResult.Answered second =
                assertInstanceOf(MessagesResult.Answered.class, service.handle(command("g", false)));
        GatewayError third = assertInstanceOf(MessagesResult.Refused.class, service.handle(command("g", false)))
                .error();

        assertTrue(!first.servedBy().equals(second.servedBy()), "the second request went to the other deployment");
        assertEquals(
                new GatewayError.AtLimit(
                        new ModelGroupName("g"), Duration.ofSeconds(60), Set.of(UsageLimit.REQUESTS_PER_MINUTE)),
                third);
        assertEquals(2, provider.calls().size());
        assertTrue(cooldowns.activeCooldowns().isEmpty(), "a limit is not a failure");

        clock.advance(Duration.ofMinutes(1));
        assertInstanceOf(MessagesResult.Answered.class, service.handle(command("g", false)));
    }

    @Test
    void aGroupAtItsLimits_fallsBack() {
        var service = service(
                withFallbacks(Map.of("g", List.of("h")), Map.of()),
                deployment("a", "g", RoutingHints.defaults().withLimits(1, 0, 0)),
                deployment("backup", "h"));

        service.handle(command("g", false));
        MessagesResult.Answered fallback =
                assertInstanceOf(MessagesResult.Answered.class, service.handle(command("g", false)));

        assertEquals(new DeploymentId("backup"), fallback.servedBy());
    }

    private RouterRules withFallbacks(Map<String, List<String>> general, Map<String, List<String>> contextWindow) {
        return new RouterRules(
                RoutingStrategy.SIMPLE_SHUFFLE,
                RetryPolicy.withRetries(2),
                new Fallbacks(names(general), names(contextWindow), Map.of(), List.of(), 5),
                CooldownPolicy.defaults(),
                RouterRules.DEFAULT_DEADLINE);
    }

    private static Map<ModelGroupName, List<ModelGroupName>> names(Map<String, List<String>> map) {
        return map.entrySet().stream()
                .collect(Collectors.toMap(
                        e -> new ModelGroupName(e.getKey()),
                        e -> e.getValue().stream().map(ModelGroupName::new).toList()));
    }

    private HandleMessagesService service(RouterRules rules, Deployment... deployments) {
        return new HandleMessagesService(
                router(rules, deployments), WebSearchInterception.off(), NoEventCodec.INSTANCE);
    }

    private Router router(RouterRules rules, Deployment... deployments) {
        return new Router(
                ModelGroups.of(List.of(deployments)),
                TestUpstreams.through(provider),
                rules,
                cooldowns,
                sleeper,
                new Random(7),
                clock,
                new InProcessUsageMeter(clock),
                Telemetry.off());
    }
}
