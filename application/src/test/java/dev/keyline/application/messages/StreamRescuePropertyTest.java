package dev.keyline.application.messages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keyline.adapters.state.InProcessUsageMeter;
import dev.keyline.adapters.wire.JacksonMessageEventCodec;
import dev.keyline.adapters.wire.MessageStreamWriter;
import dev.keyline.application.routing.MeteredUpstreams;
import dev.keyline.application.routing.Router;
import dev.keyline.domain.deployment.Continuation;
import dev.keyline.domain.deployment.Deployment;
import dev.keyline.domain.deployment.ModelGroupName;
import dev.keyline.domain.deployment.ModelGroups;
import dev.keyline.domain.deployment.RoutingHints;
import dev.keyline.domain.failure.ProviderFailure;
import dev.keyline.domain.message.ContentBlock;
import dev.keyline.domain.message.Message;
import dev.keyline.domain.message.MessageResponse;
import dev.keyline.domain.message.MessagesRequest;
import dev.keyline.domain.message.ProtocolHeaders;
import dev.keyline.domain.message.RawJson;
import dev.keyline.domain.message.Role;
import dev.keyline.domain.message.StreamEvent;
import dev.keyline.domain.message.Usage;
import dev.keyline.domain.routing.CooldownPolicy;
import dev.keyline.domain.routing.Fallbacks;
import dev.keyline.domain.routing.RetryPolicy;
import dev.keyline.domain.routing.RouterRules;
import dev.keyline.domain.routing.RoutingStrategy;
import dev.keyline.domain.testing.TestDeployments;
import dev.keyline.ports.in.HopRole;
import dev.keyline.ports.in.MessagesCommand;
import dev.keyline.ports.in.MessagesStreamResult;
import dev.keyline.ports.in.RequestId;
import dev.keyline.ports.in.RequestJournal;
import dev.keyline.ports.out.EventStream;
import dev.keyline.ports.out.HopObserver;
import dev.keyline.ports.out.ProviderClient;
import dev.keyline.ports.out.ProviderReply;
import dev.keyline.ports.out.ProviderRequest;
import dev.keyline.ports.out.ProviderStream;
import dev.keyline.ports.out.StreamStep;
import dev.keyline.ports.out.Telemetry;
import dev.keyline.ports.out.UpstreamHeaders;
import dev.keyline.ports.testing.InMemoryCooldownStore;
import dev.keyline.ports.testing.MutableClock;
import dev.keyline.ports.testing.RecordingSleeper;
import dev.keyline.ports.testing.TestUpstreams;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A text answer whose stream breaks at any event (cut, stalled, an unreadable event, an overloaded error event) is
 * finished by the group's other deployment, which continues deterministically from whatever prefix it is given: the
 * client gets one well-formed message (checked event by event, as strictly as the SDKs' accumulators) whose text is
 * the whole answer, with no text twice and none lost; an answer already whole, one holding a tool call, or one
 * whose only continuer refuses prefill, ends with the original failure.
 */
class StreamRescuePropertyTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JacksonMessageEventCodec CODEC = new JacksonMessageEventCodec(MAPPER);
    private static final List<String> PIECES =
            List.of("Hello", " world", "\n\n", " ", "a", "  ", "é", "2+2=4. ", "\t", "end");

    @Test
    void aBrokenTextAnswer_isContinued_whole_andWellFormed() {
        qt().withExamples(200)
                .forAll(
                        lists().of(integers().between(0, PIECES.size() - 1)).ofSizeBetween(1, 10),
                        integers().between(0, 40),
                        integers().between(0, 3),
                        integers().between(1, 1_000))
                .checkAssert((pieces, cutAt, breakKind, seed) -> {
                    Answer answer = Answer.of(pieces);
                    int cut = Math.min(cutAt, answer.events().size() - 1);
                    Scenario scenario = new Scenario(answer, cut, breakKind, seed, Continuation.PREFILL, false);

                    Client client = scenario.run();

                    if (cut <= answer.messageDeltaIndex()) {
                        assertTrue(client.ended(), "rescued: the stream ends properly, " + client);
                        assertTrue(!client.broke(), "no error reaches a rescued client: " + client);
                        assertEquals(answer.text(), client.text(), "the whole answer, nothing twice, nothing lost");
                        assertEquals(
                                cut == 0 ? "msg_b" : "msg_a",
                                client.messageId(),
                                "the message the client started stays its own");
                        assertEquals(List.of(HopRole.FIRST, HopRole.RESUME), scenario.journal.roles);
                        assertEquals(List.of("a", "b"), scenario.journal.deployments);
                        long brokenText = client.textBefore(scenario.firstCallText());
                        assertEquals(
                                scenario.continuerOutput + (brokenText + 3) / 4,
                                client.outputTokens(),
                                "the output of both calls");
                    } else {
                        // The client has the stop reason: only the end could be lost; the failure stands.
                        assertTrue(client.broke(), client.toString());
                        assertEquals(List.of(HopRole.FIRST), scenario.journal.roles);
                    }
                });
    }

    @Test
    void anAnswerWithAToolCall_isNotContinued() {
        Answer answer = Answer.withToolCall("Let me look");
        for (int cut = 1; cut < answer.messageDeltaIndex(); cut++) {
            Scenario scenario = new Scenario(answer, cut, 0, 1, Continuation.PREFILL, false);
            Client client = scenario.run();
            boolean toolStarted = cut > answer.toolStartIndex();
            if (toolStarted) {
                assertTrue(client.broke(), "cut at " + cut + ": " + client);
                assertEquals(List.of(HopRole.FIRST), scenario.journal.roles);
            } else {
                assertTrue(client.ended(), "cut at " + cut + ": " + client);
            }
        }
    }

    @Test
    void aContinuerThatRefusesPrefill_leavesTheOriginalFailure_notIts400() {
        Answer answer = Answer.of(List.of(0, 1, 8));
        Scenario scenario = new Scenario(answer, 3, 0, 1, Continuation.PREFILL, true);

        Client client = scenario.run();

        assertTrue(client.broke(), client.toString());
        assertInstanceOf(ProviderFailure.ConnectionFailed.class, client.failure);
        assertEquals(List.of(HopRole.FIRST, HopRole.RESUME), scenario.journal.roles);
    }

    @Test
    void aContinuerThatAnswersAnew_isPassedOver_andNoTextComesTwice() {
        Answer answer = Answer.of(List.of(0, 1, 7, 2, 0, 1, 7, 9));
        for (int cut = 2; cut <= answer.messageDeltaIndex(); cut++) {
            Scenario scenario = new Scenario(answer, cut, 0, cut, Continuation.PREFILL, false);
            scenario.bAnswersAnew = true;
            if (scenario.firstCallText().length() < RescuingEventStream.RESTART_MIN) {
                continue;
            }

            Client client = scenario.run();

            assertTrue(client.ended(), "cut at " + cut + ": " + client);
            assertEquals(answer.text(), client.text(), "cut at " + cut);
            assertEquals(List.of("a", "b", "c"), scenario.journal.deployments, "cut at " + cut);
            assertEquals(List.of(HopRole.FIRST, HopRole.RESUME, HopRole.RESUME), scenario.journal.roles);
        }
    }

    @Test
    void deploymentsThatCannotContinue_areNotAsked() {
        Answer answer = Answer.of(List.of(0, 1, 8));
        Scenario scenario = new Scenario(answer, 3, 0, 1, Continuation.NONE, false);

        Client client = scenario.run();

        assertTrue(client.broke(), client.toString());
        assertEquals(List.of(HopRole.FIRST), scenario.journal.roles);
    }

    /** The whole answer the model gives, as events. */
    record Answer(String text, List<StreamEvent> events, int messageDeltaIndex, int toolStartIndex) {

        static Answer of(List<Integer> pieces) {
            StringBuilder text = new StringBuilder();
            pieces.forEach(i -> text.append(PIECES.get(i)));
            List<StreamEvent> events = new ArrayList<>();
            events.add(event(Map.of(
                    "type",
                    "message_start",
                    "message",
                    Map.of(
                            "id", "msg_a",
                            "type", "message",
                            "role", "assistant",
                            "model", "m",
                            "content", List.of(),
                            "usage", Map.of("input_tokens", 10, "output_tokens", 1)))));
            events.add(event(Map.of(
                    "type", "content_block_start", "index", 0, "content_block", Map.of("type", "text", "text", ""))));
            for (int i : pieces) {
                events.add(textDelta(0, PIECES.get(i)));
            }
            events.add(event(Map.of("type", "content_block_stop", "index", 0)));
            int messageDelta = events.size();
            events.add(event(Map.of(
                    "type", "message_delta",
                    "delta", Map.of("stop_reason", "end_turn"),
                    "usage", Map.of("output_tokens", pieces.size()))));
            events.add(event(Map.of("type", "message_stop")));
            return new Answer(text.toString(), events, messageDelta, -1);
        }

        static Answer withToolCall(String text) {
            MessageResponse response = new MessageResponse(
                    "msg_a",
                    "m",
                    List.of(
                            ContentBlock.Text.of(text),
                            new ContentBlock.ToolUse(
                                    "toolu_1", "get_weather", new RawJson(Map.of("city", "Oslo")), RawJson.empty())),
                    Optional.of("tool_use"),
                    Optional.empty(),
                    new Usage(10, 5, 0, 0, 0, 0, RawJson.empty()),
                    RawJson.empty());
            List<StreamEvent> events = new MessageStreamWriter(MAPPER).events(response);
            int messageDelta = 0;
            int toolStart = 0;
            for (int i = 0; i < events.size(); i++) {
                if (events.get(i).type().equals("message_delta")) {
                    messageDelta = i;
                }
                if (events.get(i).type().equals("content_block_start")
                        && events.get(i).data().contains("tool_use")) {
                    toolStart = i;
                }
            }
            return new Answer(text, events, messageDelta, toolStart);
        }
    }

    /** Deployment a breaks its answer at one event; b, its group mate, continues from any prefix of it. */
    private static final class Scenario implements ProviderClient {
        private final Answer answer;
        private final int cut;
        private final int breakKind;
        private final Random chunks;
        private final boolean refusePrefill;
        private final Deployment a;
        private final Deployment b;
        private final Deployment c;
        /** Whether b ignores the prefill and answers from the start; c then continues honestly. */
        boolean bAnswersAnew;

        final Journal journal = new Journal();
        long continuerOutput;

        Scenario(Answer answer, int cut, int breakKind, int seed, Continuation continues, boolean refusePrefill) {
            this.answer = answer;
            this.cut = cut;
            this.breakKind = breakKind;
            this.chunks = new Random(seed);
            this.refusePrefill = refusePrefill;
            // Both or neither continue: a lone continuer would be a itself, after its backoff.
            this.a = TestDeployments.deployment(
                    "a", "g", RoutingHints.defaults().withOrder(1).withContinuation(continues));
            this.b = TestDeployments.deployment(
                    "b", "g", RoutingHints.defaults().withOrder(2).withContinuation(continues));
            this.c = TestDeployments.deployment(
                    "c", "g", RoutingHints.defaults().withOrder(3).withContinuation(continues));
        }

        Client run() {
            MutableClock clock = MutableClock.atSomeMoment();
            Router router = new Router(
                    ModelGroups.of(bAnswersAnew ? List.of(a, b, c) : List.of(a, b)),
                    new MeteredUpstreams(
                            TestUpstreams.through(this), new InProcessUsageMeter(clock), CODEC, Telemetry.off()),
                    new RouterRules(
                            RoutingStrategy.SIMPLE_SHUFFLE,
                            RetryPolicy.withRetries(2),
                            new Fallbacks(
                                    Map.<ModelGroupName, List<ModelGroupName>>of(), Map.of(), Map.of(), List.of(), 5),
                            CooldownPolicy.defaults(),
                            RouterRules.DEFAULT_DEADLINE),
                    new InMemoryCooldownStore(clock),
                    new RecordingSleeper(clock),
                    new Random(1),
                    clock,
                    new InProcessUsageMeter(clock),
                    Telemetry.off());
            HandleMessagesService service = new HandleMessagesService(router, WebSearchInterception.off(), CODEC, true);
            MessagesCommand command = new MessagesCommand(
                    new MessagesRequest(
                            "g",
                            1024,
                            List.of(Message.of(Role.USER, List.of(ContentBlock.Text.of("say it")))),
                            List.of(),
                            Optional.empty(),
                            true,
                            RawJson.empty()),
                    ProtocolHeaders.defaults(),
                    journal);
            MessagesStreamResult.Streaming streaming =
                    assertInstanceOf(MessagesStreamResult.Streaming.class, service.stream(command));
            Client client = new Client();
            try (EventStream events = streaming.events()) {
                client.read(events);
            }
            return client;
        }

        /** The text a's events carried before the cut. */
        String firstCallText() {
            StringBuilder text = new StringBuilder();
            for (StreamEvent event : answer.events().subList(0, cut)) {
                JsonNode json = json(event.data());
                if (json.path("delta").path("type").asText().equals("text_delta")) {
                    text.append(json.path("delta").path("text").asText());
                }
            }
            return text.toString();
        }

        @Override
        public ProviderReply send(Deployment deployment, ProviderRequest request) {
            throw new AssertionError("streams only");
        }

        @Override
        public ProviderStream stream(Deployment deployment, ProviderRequest request) {
            if (deployment.id().value().equals("a")) {
                return broken();
            }
            if (deployment.id().value().equals("b") && bAnswersAnew) {
                return continued(new MessagesRequest(
                        "g",
                        1024,
                        request.body().messages().subList(0, 1),
                        List.of(),
                        Optional.empty(),
                        true,
                        RawJson.empty()));
            }
            return continued(request.body());
        }

        private ProviderStream broken() {
            List<StreamStep> steps = new ArrayList<>();
            answer.events().subList(0, cut).forEach(e -> steps.add(new StreamStep.Event(e)));
            steps.add(
                    switch (breakKind) {
                        case 0 -> new StreamStep.Broken(new ProviderFailure.ConnectionFailed("connection reset"));
                        case 1 -> new StreamStep.Broken(new ProviderFailure.Timeout(Duration.ofSeconds(30)));
                        case 2 -> new StreamStep.Broken(new ProviderFailure.MalformedReply(200, "not JSON"));
                        default ->
                            new StreamStep.Event(
                                    new StreamEvent(
                                            "error",
                                            "{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}"));
                    });
            if (breakKind == 3) {
                steps.add(new StreamStep.End());
            }
            return opened(steps);
        }

        /** Continues the answer from the final assistant turn, refusing one that ends in whitespace as the API does. */
        private ProviderStream continued(MessagesRequest request) {
            Message last = request.messages().getLast();
            String prefix = "";
            if (last.role().equals(Role.ASSISTANT)) {
                if (refusePrefill) {
                    return new ProviderStream.Failed(ProviderFailure.fromHttpStatus(
                            400,
                            "{\"type\":\"error\",\"error\":{\"type\":\"invalid_request_error\","
                                    + "\"message\":\"This model does not support assistant message prefill\"}}",
                            Optional.empty()));
                }
                prefix = ((ContentBlock.Text) last.content().getFirst()).text();
                if (prefix.isEmpty() || !prefix.equals(prefix.stripTrailing())) {
                    return new ProviderStream.Failed(ProviderFailure.fromHttpStatus(
                            400,
                            "{\"type\":\"error\",\"error\":{\"type\":\"invalid_request_error\",\"message\":"
                                    + "\"final assistant content cannot end with trailing whitespace\"}}",
                            Optional.empty()));
                }
            }
            if (!answer.text().startsWith(prefix)) {
                throw new AssertionError("asked to continue text the answer does not start with: " + prefix);
            }
            String rest = answer.text().substring(prefix.length());
            List<StreamStep> steps = new ArrayList<>();
            steps.add(new StreamStep.Event(event(Map.of(
                    "type",
                    "message_start",
                    "message",
                    Map.of(
                            "id", "msg_b",
                            "type", "message",
                            "role", "assistant",
                            "model", "m",
                            "content", List.of(),
                            "usage", Map.of("input_tokens", 30, "output_tokens", 1))))));
            steps.add(new StreamStep.Event(event(Map.of(
                    "type", "content_block_start", "index", 0, "content_block", Map.of("type", "text", "text", "")))));
            for (int at = 0; at < rest.length(); ) {
                int size = 1 + chunks.nextInt(4);
                int end = Math.min(rest.length(), at + size);
                steps.add(new StreamStep.Event(textDelta(0, rest.substring(at, end))));
                at = end;
            }
            continuerOutput = 1 + rest.length() / 3;
            steps.add(new StreamStep.Event(event(Map.of("type", "content_block_stop", "index", 0))));
            steps.add(new StreamStep.Event(event(Map.of(
                    "type", "message_delta",
                    "delta", Map.of("stop_reason", "end_turn"),
                    "usage", Map.of("output_tokens", continuerOutput)))));
            steps.add(new StreamStep.Event(event(Map.of("type", "message_stop"))));
            steps.add(new StreamStep.End());
            return opened(steps);
        }

        private static ProviderStream opened(List<StreamStep> steps) {
            var iterator = steps.iterator();
            return new ProviderStream.Opened(
                    new EventStream() {
                        @Override
                        public StreamStep next() {
                            return iterator.hasNext() ? iterator.next() : new StreamStep.End();
                        }

                        @Override
                        public void close() {}
                    },
                    UpstreamHeaders.none());
        }
    }

    /**
     * What the client gets, checked as strictly as an SDK's accumulator: one {@code message_start} first, blocks
     * opened in index order one at a time, deltas only to the open block, {@code message_delta} with no block open,
     * {@code message_stop} last.
     */
    private static final class Client {
        private final StringBuilder text = new StringBuilder();
        private final List<String> types = new ArrayList<>();
        private String messageId;
        private long outputTokens = -1;
        private int blocks;
        private int open = -1;
        private boolean stopped;
        private boolean ended;
        ProviderFailure failure;

        void read(EventStream events) {
            for (int i = 0; i < 10_000; i++) {
                switch (events.next()) {
                    case StreamStep.Event event -> {
                        StreamEvent frame = CODEC.framed(event.event());
                        accept(frame.type(), json(frame.data()));
                    }
                    case StreamStep.End end -> {
                        ended = stopped;
                        return;
                    }
                    case StreamStep.Broken broken -> {
                        failure = broken.failure();
                        return;
                    }
                }
            }
            throw new AssertionError("the stream never ended");
        }

        private void accept(String type, JsonNode json) {
            types.add(type);
            assertEquals(type, json.path("type").asText(), "the event's name and its type agree");
            if (!type.equals("message_start") && !type.equals("error")) {
                assertTrue(messageId != null, "message_start comes first: " + types);
            }
            assertTrue(!stopped, "nothing after message_stop: " + types);
            switch (type) {
                case "message_start" -> {
                    assertTrue(messageId == null, "one message_start: " + types);
                    messageId = json.path("message").path("id").asText();
                }
                case "content_block_start" -> {
                    assertEquals(-1, open, "a block opens only when none is: " + types);
                    assertEquals(blocks, json.path("index").asInt(), "blocks open in index order: " + types);
                    open = blocks++;
                    text.append(json.path("content_block").path("text").asText());
                }
                case "content_block_delta" -> {
                    assertEquals(open, json.path("index").asInt(), "a delta goes to the open block: " + types);
                    text.append(json.path("delta").path("text").asText());
                }
                case "content_block_stop" -> {
                    assertEquals(open, json.path("index").asInt(), "the open block stops: " + types);
                    open = -1;
                }
                case "message_delta" -> {
                    assertEquals(-1, open, "message_delta after every block stopped: " + types);
                    assertEquals(-1, outputTokens, "one message_delta: " + types);
                    outputTokens = json.path("usage").path("output_tokens").asLong();
                }
                case "message_stop" -> {
                    assertTrue(outputTokens >= 0, "message_delta before message_stop: " + types);
                    stopped = true;
                }
                default -> {}
            }
        }

        boolean ended() {
            return ended;
        }

        boolean broke() {
            return failure != null || types.contains("error");
        }

        String text() {
            return text.toString();
        }

        String messageId() {
            return messageId;
        }

        long outputTokens() {
            return outputTokens;
        }

        /** @return the length of the text the client had from the broken call */
        long textBefore(String firstCallText) {
            return firstCallText.length();
        }

        @Override
        public String toString() {
            return types + " text=" + text + " failure=" + failure;
        }
    }

    /** Writes down each call's role and deployment. */
    private static final class Journal implements RequestJournal {
        final List<HopRole> roles = new ArrayList<>();
        final List<String> deployments = new ArrayList<>();

        @Override
        public RequestId id() {
            return new RequestId("req_rescue");
        }

        @Override
        public HopObserver open(Deployment deployment, HopRole role) {
            roles.add(role);
            deployments.add(deployment.id().value());
            return HopObserver.none();
        }

        @Override
        public void loopStarted() {}

        @Override
        public void searched(long startedNanos, long endedNanos, String outcome) {}
    }

    private static StreamEvent textDelta(int index, String text) {
        return event(Map.of(
                "type", "content_block_delta", "index", index, "delta", Map.of("type", "text_delta", "text", text)));
    }

    private static StreamEvent event(Map<String, Object> json) {
        try {
            return new StreamEvent((String) json.get("type"), MAPPER.writeValueAsString(json));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static JsonNode json(String data) {
        try {
            return MAPPER.readTree(data);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
