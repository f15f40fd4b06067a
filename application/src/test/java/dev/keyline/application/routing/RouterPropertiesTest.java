package dev.keyline.application.routing;

import static dev.keyline.domain.testing.TestDeployments.deployment;
import static dev.keyline.ports.testing.TestMessages.command;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import dev.keyline.adapters.state.InProcessUsageMeter;
import dev.keyline.application.messages.HandleMessagesService;
import dev.keyline.application.messages.WebSearchInterception;
import dev.keyline.domain.deployment.Deployment;
import dev.keyline.domain.deployment.DeploymentId;
import dev.keyline.domain.deployment.ModelGroups;
import dev.keyline.domain.deployment.RoutingHints;
import dev.keyline.domain.failure.ProviderFailure;
import dev.keyline.domain.routing.CooldownPolicy;
import dev.keyline.domain.routing.DeploymentSelector;
import dev.keyline.domain.routing.RouterRules;
import dev.keyline.domain.routing.RoutingStrategy;
import dev.keyline.ports.in.GatewayError;
import dev.keyline.ports.in.MessagesResult;
import dev.keyline.ports.out.CooldownStore;
import dev.keyline.ports.out.ProviderClient;
import dev.keyline.ports.out.ProviderReply;
import dev.keyline.ports.out.ProviderRequest;
import dev.keyline.ports.out.ProviderStream;
import dev.keyline.ports.out.Telemetry;
import dev.keyline.ports.out.UpstreamHeaders;
import dev.keyline.ports.testing.InMemoryCooldownStore;
import dev.keyline.ports.testing.MutableClock;
import dev.keyline.ports.testing.NoEventCodec;
import dev.keyline.ports.testing.RecordingSleeper;
import dev.keyline.ports.testing.TestMessages;
import dev.keyline.ports.testing.TestUpstreams;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Properties of routing over random failure sequences and group shapes. */
class RouterPropertiesTest {

    /** Statuses and transport failures a deployment may answer with; index 0 means "answers". */
    private static final List<Optional<ProviderFailure>> OUTCOMES = List.of(
            Optional.empty(),
            Optional.of(ProviderFailure.fromHttpStatus(429, "{\"e\":429}", Optional.empty())),
            Optional.of(
                    ProviderFailure.fromHttpStatus(429, "{\"e\":\"429 wait\"}", Optional.of(Duration.ofSeconds(3)))),
            Optional.of(ProviderFailure.fromHttpStatus(529, "{\"e\":529}", Optional.empty())),
            Optional.of(ProviderFailure.fromHttpStatus(500, "{\"e\":500}", Optional.empty())),
            Optional.of(ProviderFailure.fromHttpStatus(503, "{\"e\":503}", Optional.empty())),
            Optional.of(ProviderFailure.fromHttpStatus(401, "{\"e\":401}", Optional.empty())),
            Optional.of(ProviderFailure.fromHttpStatus(403, "{\"e\":403}", Optional.empty())),
            Optional.of(ProviderFailure.fromHttpStatus(404, "{\"e\":404}", Optional.empty())),
            Optional.of(ProviderFailure.fromHttpStatus(400, "{\"e\":400}", Optional.empty())),
            Optional.of(new ProviderFailure.Timeout(Duration.ofSeconds(30))),
            Optional.of(new ProviderFailure.ConnectionFailed("refused")));

    @Test
    void aLoneFailingDeployment_alwaysAnswersWithItsOwnLastError_andNeverCools() {
        qt().withExamples(200)
                .forAll(lists().of(integers().between(0, OUTCOMES.size() - 1)).ofSizeBetween(1, 40))
                .checkAssert(script -> {
                    MutableClock clock = MutableClock.atSomeMoment();
                    CooldownStore store = new InMemoryCooldownStore(clock);
                    Journal provider = new Journal(script);
                    var service = new HandleMessagesService(
                            new Router(
                                    ModelGroups.of(List.of(deployment("lone", "g"))),
                                    TestUpstreams.through(provider),
                                    RouterRules.defaults(),
                                    store,
                                    new RecordingSleeper(clock),
                                    new Random(1),
                                    clock,
                                    new InProcessUsageMeter(clock),
                                    Telemetry.off()),
                            WebSearchInterception.off(),
                            NoEventCodec.INSTANCE);

                    while (provider.remaining() > 0) {
                        MessagesResult result = service.handle(command("g", false));
                        Optional<ProviderFailure> last = provider.lastOutcome();
                        if (last.isEmpty()) {
                            assertInstanceOf(MessagesResult.Answered.class, result);
                        } else {
                            GatewayError error = assertInstanceOf(MessagesResult.Refused.class, result)
                                    .error();
                            assertEquals(new GatewayError.UpstreamFailed(new DeploymentId("lone"), last.get()), error);
                        }
                        assertEquals(List.of(), store.activeCooldowns());
                    }
                });
    }

    @Test
    void aCoolingDeployment_isNeverCalledBeforeItsEnd_andIsSelectableAfter() {
        qt().withExamples(150)
                .forAll(
                        integers().between(2, 5),
                        lists().of(integers().between(0, OUTCOMES.size() - 1)).ofSizeBetween(1, 60),
                        lists().of(integers().between(0, 4_000)).ofSizeBetween(1, 60),
                        integers().between(0, 1))
                .checkAssert((groupSize, script, pauses, strategy) -> {
                    MutableClock clock = MutableClock.atSomeMoment();
                    CooldownStore store = new InMemoryCooldownStore(clock);
                    List<Deployment> group = new ArrayList<>();
                    for (int i = 0; i < groupSize; i++) {
                        group.add(
                                deployment("d" + i, "g", RoutingHints.defaults().withOrder(1 + i % 2)));
                    }
                    Journal provider = new Journal(script).checkingNoneCooling(store, clock);
                    RouterRules rules = new RouterRules(
                            RoutingStrategy.values()[strategy],
                            RouterRules.defaults().retries(),
                            RouterRules.defaults().fallbacks(),
                            CooldownPolicy.defaults(),
                            RouterRules.DEFAULT_DEADLINE);
                    var service = new HandleMessagesService(
                            new Router(
                                    ModelGroups.of(group),
                                    TestUpstreams.through(provider),
                                    rules,
                                    store,
                                    new RecordingSleeper(clock),
                                    new Random(3),
                                    clock,
                                    new InProcessUsageMeter(clock),
                                    Telemetry.off()),
                            WebSearchInterception.off(),
                            NoEventCodec.INSTANCE);

                    for (int step = 0; provider.remaining() > 0; step++) {
                        service.handle(command("g", false));
                        clock.advance(Duration.ofMillis(pauses.get(step % pauses.size())));
                    }
                    List<DeploymentId> cooled = store.activeCooldowns().stream()
                            .map(c -> c.deployment())
                            .toList();
                    clock.advance(CooldownPolicy.DEFAULT_MAX_COOLDOWN.plusSeconds(1));
                    for (DeploymentId id : cooled) {
                        Set<DeploymentId> others = Set.copyOf(group.stream()
                                .map(Deployment::id)
                                .filter(d -> !d.equals(id))
                                .toList());
                        Deployment picked = DeploymentSelector.select(
                                        rules.strategy(),
                                        group,
                                        d -> store.activeCooldown(d).isPresent(),
                                        others,
                                        d -> 0,
                                        new Random(5))
                                .orElseThrow();
                        assertTrue(store.activeCooldown(id).isEmpty());
                        assertEquals(id, picked.id(), "an expired cooldown leaves the deployment selectable");
                    }
                });
    }

    /** Plays a script of outcomes across all calls, and can assert no call reaches a cooling deployment. */
    private static final class Journal implements ProviderClient {
        private final List<Integer> script;
        private int next;
        private Optional<ProviderFailure> last = Optional.empty();
        private CooldownStore store;
        private MutableClock clock;

        Journal(List<Integer> script) {
            this.script = script;
        }

        Journal checkingNoneCooling(CooldownStore store, MutableClock clock) {
            this.store = store;
            this.clock = clock;
            return this;
        }

        int remaining() {
            return script.size() - next;
        }

        Optional<ProviderFailure> lastOutcome() {
            return last;
        }

        @Override
        public ProviderReply send(Deployment deployment, ProviderRequest request) {
            if (store != null) {
                assertFalse(
                        store.activeCooldown(deployment.id())
                                .filter(c -> c.isActiveAt(clock.instant()))
                                .isPresent(),
                        deployment.id() + " was called while cooling");
            }
            last = next < script.size() ? OUTCOMES.get(script.get(next++)) : Optional.empty();
            return last.<ProviderReply>map(ProviderReply.Failed::new)
                    .orElseGet(() -> new ProviderReply.Completed(TestMessages.answer("ok"), UpstreamHeaders.none()));
        }

        @Override
        public ProviderStream stream(Deployment deployment, ProviderRequest request) {
            throw new AssertionError("not streamed here");
        }
    }
}
