package dev.keyline.application.messages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keyline.adapters.state.InProcessUsageMeter;
import dev.keyline.adapters.wire.JacksonMessageEventCodec;
import dev.keyline.adapters.wire.MessageResponseCodec;
import dev.keyline.adapters.wire.MessageStreamWriter;
import dev.keyline.adapters.wire.testing.StreamFolder;
import dev.keyline.application.routing.Router;
import dev.keyline.domain.deployment.Deployment;
import dev.keyline.domain.deployment.DeploymentId;
import dev.keyline.domain.deployment.ModelGroups;
import dev.keyline.domain.message.ContentBlock;
import dev.keyline.domain.message.Message;
import dev.keyline.domain.message.MessageResponse;
import dev.keyline.domain.message.MessagesRequest;
import dev.keyline.domain.message.ProtocolHeaders;
import dev.keyline.domain.message.RawJson;
import dev.keyline.domain.message.Role;
import dev.keyline.domain.message.StreamEvent;
import dev.keyline.domain.message.ToolDefinition;
import dev.keyline.domain.message.Usage;
import dev.keyline.domain.routing.RouterRules;
import dev.keyline.domain.testing.TestDeployments;
import dev.keyline.domain.websearch.SearchHit;
import dev.keyline.domain.websearch.SearchOutcome;
import dev.keyline.ports.in.MessagesCommand;
import dev.keyline.ports.in.MessagesResult;
import dev.keyline.ports.in.MessagesStreamResult;
import dev.keyline.ports.out.EventStream;
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
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * For random search loops (searches per hop, text before and after the calls, a client tool beside a search,
 * max_uses, the loop limit), the streamed answer ({@code StreamingSearchLoop}) folds into exactly the non-streamed
 * one ({@code JsonSearchLoop}). It lives beside the wire codecs because the streamed loop reads and writes events
 * through the real Jackson codec.
 */
class StreamingSearchLoopPropertyTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final ToolDefinition WEB_SEARCH = new ToolDefinition.WebSearch(
            "web_search_20250305",
            "web_search",
            OptionalInt.of(4),
            List.of(),
            List.of(),
            Optional.empty(),
            RawJson.empty());

    @Test
    void theFoldedStream_equalsTheJsonAnswer() {
        qt().withExamples(120)
                .forAll(
                        lists().of(integers().between(0, 3)).ofSizeBetween(1, 5),
                        integers().between(0, 15),
                        integers().between(1, 4))
                .checkAssert((searchesPerHop, shape, maxLoops) -> {
                    Deployment deployment = TestDeployments.deployment("d", "g");
                    ObjectNode json = toJson(
                            service(deployment, searchesPerHop, shape, maxLoops).handle(command(false)));
                    ObjectNode folded = StreamFolder.fold(
                            toSse(service(deployment, searchesPerHop, shape, maxLoops).stream(command(true))));
                    assertEquals(json, folded);
                });
    }

    private HandleMessagesService service(
            Deployment deployment, List<Integer> searchesPerHop, int shape, int maxLoops) {
        MutableClock clock = MutableClock.atSomeMoment();
        Router router = new Router(
                ModelGroups.of(List.of(deployment)),
                TestUpstreams.through(new ScriptedHops(searchesPerHop, shape)),
                RouterRules.defaults(),
                new InMemoryCooldownStore(clock),
                new RecordingSleeper(clock),
                new Random(1),
                clock,
                new InProcessUsageMeter(clock),
                Telemetry.off());
        WebSearchInterception interception = new WebSearchInterception(
                request -> request.query().endsWith("2")
                        ? new SearchOutcome.Found(List.of())
                        : new SearchOutcome.Found(List.of(new SearchHit(
                                "About " + request.query(),
                                "https://r.example/" + request.query().length(),
                                excerpt(request.query()),
                                Optional.of("2026-01-01")))),
                Map.of(new DeploymentId("d"), maxLoops),
                3);
        return new HandleMessagesService(router, interception, new JacksonMessageEventCodec(MAPPER));
    }

    private static String excerpt(String query) {
        return "the page found for " + query + " explains the whole matter";
    }

    @Test
    void anAnswerQuotingAResult_citesIt_inJsonAndInTheStream() {
        Deployment deployment = TestDeployments.deployment("d", "g");
        ObjectNode json = toJson(service(deployment, List.of(1), 9, 2).handle(command(false)));
        ObjectNode folded = StreamFolder.fold(toSse(service(deployment, List.of(1), 9, 2).stream(command(true))));

        JsonNode answer = json.path("content").get(json.path("content").size() - 1);
        assertEquals("hop 1 says " + excerpt("q00"), answer.path("text").asText());
        JsonNode citation = answer.path("citations").get(0);
        assertEquals("web_search_result_location", citation.path("type").asText());
        assertEquals("https://r.example/3", citation.path("url").asText());
        assertEquals("About q00", citation.path("title").asText());
        assertEquals(excerpt("q00"), citation.path("cited_text").asText());
        assertEquals(json, folded);
    }

    /** A model that searches {@code searchesPerHop[i]} times on hop i, shaped by the bits of {@code shape}. */
    private static final class ScriptedHops implements ProviderClient {
        private final List<Integer> searchesPerHop;
        private final int shape;
        private int hop;

        ScriptedHops(List<Integer> searchesPerHop, int shape) {
            this.searchesPerHop = searchesPerHop;
            this.shape = shape;
        }

        MessageResponse answer() {
            int searches = hop < searchesPerHop.size() ? searchesPerHop.get(hop) : 0;
            List<ContentBlock> content = new ArrayList<>();
            if ((shape & 1) != 0 || searches == 0) {
                // With bit 8 the text quotes the previous hop's first result, so it must carry a citation.
                content.add(ContentBlock.Text.of("hop " + hop + " says"
                        + ((shape & 8) != 0 && hop > 0 ? " " + excerpt("q" + (hop - 1) + "0") : "")));
            }
            for (int i = 0; i < searches; i++) {
                content.add(new ContentBlock.ToolUse(
                        "toolu_" + hop + "_" + i,
                        "web_search",
                        new RawJson(Map.of("query", "q" + hop + i)),
                        RawJson.empty()));
                if ((shape & 2) != 0) {
                    content.add(ContentBlock.Text.of("between " + i));
                }
            }
            boolean clientTool = searches > 0 && (shape & 4) != 0;
            if (clientTool) {
                content.add(new ContentBlock.ToolUse(
                        "toolu_c" + hop, "get_weather", new RawJson(Map.of("city", "Oslo")), RawJson.empty()));
            }
            hop++;
            return new MessageResponse(
                    "msg_" + hop,
                    "m",
                    content,
                    Optional.of(searches > 0 || clientTool ? "tool_use" : "end_turn"),
                    Optional.empty(),
                    new Usage(10 * hop, hop, 0, 1, 0, 0, RawJson.empty()),
                    RawJson.empty());
        }

        @Override
        public ProviderReply send(Deployment deployment, ProviderRequest request) {
            return new ProviderReply.Completed(answer(), UpstreamHeaders.none());
        }

        @Override
        public ProviderStream stream(Deployment deployment, ProviderRequest request) {
            Iterator<StreamEvent> events =
                    new MessageStreamWriter(MAPPER).events(answer()).iterator();
            return new ProviderStream.Opened(
                    new EventStream() {
                        @Override
                        public StreamStep next() {
                            return events.hasNext() ? new StreamStep.Event(events.next()) : new StreamStep.End();
                        }

                        @Override
                        public void close() {}
                    },
                    UpstreamHeaders.none());
        }
    }

    private static MessagesCommand command(boolean stream) {
        return new MessagesCommand(
                new MessagesRequest(
                        "g",
                        256,
                        List.of(Message.of(Role.USER, List.of(ContentBlock.Text.of("q?")))),
                        List.of(WEB_SEARCH),
                        Optional.empty(),
                        stream,
                        RawJson.empty()),
                ProtocolHeaders.defaults());
    }

    private static ObjectNode toJson(MessagesResult result) {
        MessageResponse response =
                assertInstanceOf(MessagesResult.Answered.class, result).response();
        try {
            return (ObjectNode) MAPPER.readTree(new MessageResponseCodec(MAPPER).write(response));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static String toSse(MessagesStreamResult result) {
        EventStream events =
                assertInstanceOf(MessagesStreamResult.Streaming.class, result).events();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (events) {
            for (StreamStep step = events.next(); !(step instanceof StreamStep.End); step = events.next()) {
                StreamEvent event = new JacksonMessageEventCodec(MAPPER)
                        .framed(assertInstanceOf(StreamStep.Event.class, step).event());
                out.write(("event: " + event.type() + "\ndata: " + event.data() + "\n\n")
                        .getBytes(StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
