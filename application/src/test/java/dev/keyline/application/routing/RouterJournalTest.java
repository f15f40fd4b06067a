package dev.keyline.application.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.keyline.adapters.state.InProcessUsageMeter;
import dev.keyline.application.messages.HandleMessagesService;
import dev.keyline.application.messages.WebSearchInterception;
import dev.keyline.domain.deployment.Deployment;
import dev.keyline.domain.deployment.ModelGroupName;
import dev.keyline.domain.deployment.ModelGroups;
import dev.keyline.domain.failure.ProviderFailure;
import dev.keyline.domain.routing.CooldownPolicy;
import dev.keyline.domain.routing.Fallbacks;
import dev.keyline.domain.routing.RetryPolicy;
import dev.keyline.domain.routing.RouterRules;
import dev.keyline.domain.routing.RoutingStrategy;
import dev.keyline.domain.testing.TestDeployments;
import dev.keyline.ports.in.HopRole;
import dev.keyline.ports.in.MessagesCommand;
import dev.keyline.ports.in.MessagesResult;
import dev.keyline.ports.in.RequestId;
import dev.keyline.ports.in.RequestJournal;
import dev.keyline.ports.out.HopObserver;
import dev.keyline.ports.out.Telemetry;
import dev.keyline.ports.testing.InMemoryCooldownStore;
import dev.keyline.ports.testing.MutableClock;
import dev.keyline.ports.testing.NoEventCodec;
import dev.keyline.ports.testing.RecordingSleeper;
import dev.keyline.ports.testing.ScriptedProvider;
import dev.keyline.ports.testing.TestMessages;
import dev.keyline.ports.testing.TestUpstreams;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** What the router writes in a request's journal: every call, why it was made, and how it went. */
class RouterJournalTest {

    private final MutableClock clock = MutableClock.atSomeMoment();
    private final ScriptedProvider provider = new ScriptedProvider();

    /** One call as the journal heard it. */
    private static final class Entry implements HopObserver {
        final String deployment;
        final HopRole role;
        String outcome = "pending";
        int status = -1;
        long input = -1;

        Entry(String deployment, HopRole role) {
            this.deployment = deployment;
            this.role = role;
        }

        @Override
        public void answered(String outcome, int status, Duration upstream, Optional<String> upstreamRequestId) {
            this.outcome = outcome;
            this.status = status;
        }

        @Override
        public void tokens(long input, long output, long cacheWrite, long cacheRead) {
            this.input = input;
        }

        @Override
        public void broke(String outcome) {}

        @Override
        public String toString() {
            return role + " " + deployment + " " + outcome + " " + status;
        }
    }

    private static final class Journal implements RequestJournal {
        final List<Entry> entries = new ArrayList<>();

        @Override
        public RequestId id() {
            return new RequestId("req_test");
        }

        @Override
        public HopObserver open(Deployment deployment, HopRole role) {
            Entry entry = new Entry(deployment.id().value(), role);
            entries.add(entry);
            return entry;
        }

        @Override
        public void loopStarted() {}

        @Override
        public void searched(long startedNanos, long endedNanos, String outcome) {}
    }

    @Test
    void aRetryAndAFallback_areWrittenDown_eachWithItsRoleAndOutcome() {
        provider.failing("a", ProviderFailure.fromHttpStatus(500, "down", Optional.empty()));
        Deployment a = TestDeployments.deployment("a", "g");
        Deployment b = TestDeployments.deployment("b", "h");
        Router router = new Router(
                ModelGroups.of(List.of(a, b)),
                new MeteredUpstreams(
                        TestUpstreams.through(provider),
                        new InProcessUsageMeter(clock),
                        NoEventCodec.INSTANCE,
                        Telemetry.off()),
                new RouterRules(
                        RoutingStrategy.SIMPLE_SHUFFLE,
                        RetryPolicy.withRetries(1),
                        new Fallbacks(
                                Map.of(new ModelGroupName("g"), List.of(new ModelGroupName("h"))),
                                Map.of(),
                                Map.of(),
                                List.of(),
                                5),
                        CooldownPolicy.defaults(),
                        RouterRules.DEFAULT_DEADLINE),
                new InMemoryCooldownStore(clock),
                new RecordingSleeper(clock),
                new Random(3),
                clock,
                new InProcessUsageMeter(clock),
                Telemetry.off());
        Journal journal = new Journal();
        MessagesCommand asked = TestMessages.command("g", false);

        MessagesResult result = new HandleMessagesService(router, WebSearchInterception.off(), NoEventCodec.INSTANCE)
                .handle(new MessagesCommand(asked.request(), asked.headers(), journal));

        assertInstanceOf(MessagesResult.Answered.class, result);
        assertEquals(
                List.of("FIRST a internal_server 500", "RETRY a internal_server 500", "FALLBACK b ok 200"),
                journal.entries.stream().map(Entry::toString).toList());
        assertEquals(-1, journal.entries.get(0).input, "a failed call has no tokens");
        assertEquals(
                TestMessages.answer("from b").usage().inputTokens(),
                journal.entries.get(2).input,
                "the answer's input tokens");
    }
}
