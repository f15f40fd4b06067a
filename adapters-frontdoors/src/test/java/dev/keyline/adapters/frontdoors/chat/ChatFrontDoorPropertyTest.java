package dev.keyline.adapters.frontdoors.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.longs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keyline.adapters.wire.JacksonMessageEventCodec;
import dev.keyline.adapters.wire.MessageStreamWriter;
import dev.keyline.domain.message.ContentBlock;
import dev.keyline.domain.message.Message;
import dev.keyline.domain.message.MessageResponse;
import dev.keyline.domain.message.MessagesRequest;
import dev.keyline.domain.message.RawJson;
import dev.keyline.domain.message.StreamEvent;
import dev.keyline.domain.message.Usage;
import dev.keyline.ports.out.EventStream;
import dev.keyline.ports.out.StreamStep;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The chat completions front door on generated requests and answers: a chat request read as Messages keeps every
 * tool call, tool result and text in its turn; a Messages answer written as a chat completion and the same answer
 * streamed as chunks say the same thing, with every tool call, id, argument and usage token.
 */
class ChatFrontDoorPropertyTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private final ChatRequestReader reader = new ChatRequestReader(MAPPER);
    private final ChatAnswerWriter writer =
            new ChatAnswerWriter(MAPPER, InstantSource.fixed(Instant.parse("2026-11-29T00:00:00Z")));

    @Test
    void aChatRequest_readAsMessages_keepsEveryToolCallResultAndText() {
        qt().withExamples(300).forAll(longs().all()).checkAssert(seed -> {
            Random random = new Random(seed);
            ObjectNode chat = MAPPER.createObjectNode().put("model", "g");
            ArrayNode messages = chat.putArray("messages");
            List<String> expected = new ArrayList<>();
            messages.addObject().put("role", "user").put("content", "q" + seed);
            expected.add("user q" + seed);
            for (int turn = 0, n = random.nextInt(4); turn < n; turn++) {
                ObjectNode assistant = messages.addObject().put("role", "assistant");
                String said = random.nextBoolean() ? "a" + turn : "";
                assistant.put("content", said);
                List<String> ids = new ArrayList<>();
                ArrayNode calls = assistant.putArray("tool_calls");
                for (int c = 0, k = 1 + random.nextInt(3); c < k; c++) {
                    String id = "call_" + turn + "_" + c;
                    ids.add(id);
                    ObjectNode call = calls.addObject().put("id", id).put("type", "function");
                    call.putObject("function").put("name", "f" + c).put("arguments", "{\"n\":" + c + "}");
                }
                expected.add("assistant " + said + " " + ids);
                List<String> results = new ArrayList<>();
                for (String id : ids) {
                    messages.addObject()
                            .put("role", "tool")
                            .put("tool_call_id", id)
                            .put("content", "r-" + id);
                    results.add(id + "=r-" + id);
                }
                String then = random.nextBoolean() ? "u" + turn : "";
                if (!then.isEmpty()) {
                    messages.addObject().put("role", "user").put("content", then);
                }
                expected.add("user " + results + " " + then);
            }

            MessagesRequest request = reader.read(chat.toString().getBytes(StandardCharsets.UTF_8))
                    .request();

            List<String> actual = new ArrayList<>();
            for (Message message : request.messages()) {
                StringBuilder text = new StringBuilder();
                List<String> ids = new ArrayList<>();
                List<String> results = new ArrayList<>();
                for (ContentBlock block : message.content()) {
                    switch (block) {
                        case ContentBlock.Text t -> text.append(t.text());
                        case ContentBlock.ToolUse use -> ids.add(use.id());
                        case ContentBlock.ToolResult result ->
                            results.add(result.toolUseId() + "="
                                    + ((ContentBlock.ToolResultContent.Text) result.content()).text());
                        default -> throw new AssertionError(block.toString());
                    }
                }
                actual.add(
                        message.role().wireName().equals("assistant")
                                ? "assistant " + text + " " + ids
                                : results.isEmpty() ? "user " + text : "user " + results + " " + text);
            }
            assertEquals(expected, actual, chat.toString());
        });
    }

    @Test
    void anAnswer_asAChatCompletion_andAsChatChunks_saysTheSame_withNothingLost() {
        qt().withExamples(300).forAll(longs().all()).checkAssert(seed -> {
            Random random = new Random(seed);
            List<ContentBlock> blocks = new ArrayList<>();
            if (random.nextBoolean()) {
                blocks.add(ContentBlock.Text.of("text " + seed));
            }
            for (int c = 0, n = blocks.isEmpty() ? 1 + random.nextInt(3) : random.nextInt(3); c < n; c++) {
                blocks.add(new ContentBlock.ToolUse(
                        "toolu_" + c, "f" + c, new RawJson(Map.of("n", c, "q", "x" + seed)), RawJson.empty()));
            }
            boolean tools = blocks.stream().anyMatch(ContentBlock.ToolUse.class::isInstance);
            MessageResponse response = new MessageResponse(
                    "msg_p" + Math.abs(seed % 1000),
                    "upstream-model",
                    blocks,
                    Optional.of(
                            tools
                                    ? "tool_use"
                                    : List.of("end_turn", "max_tokens").get(random.nextInt(2))),
                    Optional.empty(),
                    new Usage(random.nextInt(1000), random.nextInt(500), 0, random.nextInt(300), 0, 0, RawJson.empty()),
                    RawJson.empty());

            JsonNode json = writer.write(response, "group");
            JsonNode streamed = folded(response);

            assertEquals(json.at("/choices/0/message/content"), streamed.at("/choices/0/message/content"));
            assertEquals(json.at("/choices/0/message/tool_calls"), streamed.at("/choices/0/message/tool_calls"));
            assertEquals(json.at("/choices/0/finish_reason"), streamed.at("/choices/0/finish_reason"));
            assertEquals(json.get("usage").toString(), streamed.get("usage").toString());
            assertEquals(
                    blocks.stream()
                            .filter(ContentBlock.ToolUse.class::isInstance)
                            .count(),
                    json.at("/choices/0/message/tool_calls").size());
            assertEquals(
                    response.usage().inputTokens() + response.usage().cacheReadInputTokens(),
                    json.at("/usage/prompt_tokens").asLong());
        });
    }

    @Test
    void textResumingAfterASearch_isANewParagraph_inTheAnswerAndInTheStream() {
        MessageResponse response = new MessageResponse(
                "msg_sep",
                "upstream-model",
                List.of(
                        ContentBlock.Text.of("Let me search for that."),
                        new ContentBlock.ServerToolUse(
                                "srvtoolu_1", "web_search", new RawJson(Map.of("query", "java 25")), RawJson.empty()),
                        new ContentBlock.WebSearchToolResult(
                                "srvtoolu_1",
                                new dev.keyline.domain.message.WebSearchOutcome.Results(List.of()),
                                RawJson.empty()),
                        ContentBlock.Text.of("According to the results, "),
                        ContentBlock.Text.of("Java 25 shipped in September 2025.")),
                Optional.of("end_turn"),
                Optional.empty(),
                new Usage(10, 5, 0, 0, 0, 0, RawJson.empty()),
                RawJson.empty());

        String expected = "Let me search for that.\n\nAccording to the results, Java 25 shipped in September 2025.";
        assertEquals(
                expected,
                writer.write(response, "group").at("/choices/0/message/content").asText());
        assertEquals(expected, folded(response).at("/choices/0/message/content").asText());
    }

    @Test
    void citations_areTheSameAnnotations_inTheAnswerAndInTheStream_sentOnceWhole() {
        RawJson first = new RawJson(Map.of(
                "citations",
                List.of(Map.of(
                        "type", "web_search_result_location",
                        "url", "https://openjdk.org/projects/jdk/25/",
                        "title", "JDK 25",
                        "cited_text", "JDK 25 reached General Availability",
                        "encrypted_index", "e1"))));
        RawJson second = new RawJson(Map.of(
                "citations",
                List.of(
                        Map.of("type", "web_search_result_location", "url", "https://a.example/", "title", "A"),
                        Map.of("type", "web_search_result_location", "url", "https://b.example/", "title", "B"))));
        MessageResponse response = new MessageResponse(
                "msg_cite",
                "upstream-model",
                List.of(
                        ContentBlock.Text.of("Let me search."),
                        new ContentBlock.ServerToolUse(
                                "srvtoolu_1", "web_search", new RawJson(Map.of("query", "jdk 25")), RawJson.empty()),
                        new ContentBlock.WebSearchToolResult(
                                "srvtoolu_1",
                                new dev.keyline.domain.message.WebSearchOutcome.Results(List.of()),
                                RawJson.empty()),
                        ContentBlock.Text.of("According to the results, "),
                        new ContentBlock.Text("JDK 25 shipped in September 2025", first),
                        ContentBlock.Text.of(", and "),
                        new ContentBlock.Text("two sources agree", second),
                        ContentBlock.Text.of(".")),
                Optional.of("end_turn"),
                Optional.empty(),
                new Usage(10, 5, 0, 0, 0, 0, RawJson.empty()),
                RawJson.empty());

        JsonNode json = writer.write(response, "group").at("/choices/0/message/annotations");
        JsonNode streamed = folded(response).at("/choices/0/message/annotations");

        assertEquals(3, json.size(), json.toString());
        assertEquals(json, streamed);
        String content =
                writer.write(response, "group").at("/choices/0/message/content").asText();
        JsonNode jdk = json.get(0).get("url_citation");
        assertEquals(
                "JDK 25 shipped in September 2025",
                content.substring(
                        jdk.get("start_index").asInt(), jdk.get("end_index").asInt()));
        assertEquals("https://b.example/", json.get(2).at("/url_citation/url").asText());
    }

    /** The answer's Anthropic stream, relayed as chunks, folded as an OpenAI SDK's accumulator would. */
    private JsonNode folded(MessageResponse response) {
        Deque<StreamEvent> events = new ArrayDeque<>(new MessageStreamWriter(MAPPER).events(response));
        EventStream stream = new EventStream() {
            @Override
            public StreamStep next() {
                return events.isEmpty() ? new StreamStep.End() : new StreamStep.Event(events.poll());
            }

            @Override
            public void close() {}
        };
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new ChatChunkRelay(MAPPER, new JacksonMessageEventCodec(MAPPER), writer)
                .relay(stream, out, "group", true, failure -> {
                    throw new AssertionError(failure.toString());
                });
        StringBuilder content = new StringBuilder();
        boolean sawContent = false;
        Map<Integer, ObjectNode> calls = new TreeMap<>();
        String finish = null;
        JsonNode usage = null;
        JsonNode annotations = null;
        for (String frame : out.toString(StandardCharsets.UTF_8).split("\n\n")) {
            String data = frame.substring("data: ".length());
            if (data.equals("[DONE]")) {
                break;
            }
            JsonNode chunk;
            try {
                chunk = MAPPER.readTree(data);
            } catch (java.io.IOException e) {
                throw new AssertionError(e);
            }
            if (chunk.has("usage")) {
                usage = chunk.get("usage");
            }
            JsonNode choice = chunk.path("choices").path(0);
            if (choice.path("finish_reason").isTextual()) {
                finish = choice.path("finish_reason").asText();
            }
            JsonNode delta = choice.path("delta");
            if (delta.has("annotations")) {
                // openai-python takes a list that arrives once and refuses a second one without an index.
                if (annotations != null) {
                    throw new AssertionError("annotations sent twice: " + out);
                }
                annotations = delta.get("annotations");
            }
            if (delta.path("content").isTextual()
                    && !delta.path("content").asText().isEmpty()) {
                content.append(delta.path("content").asText());
                sawContent = true;
            }
            for (JsonNode call : delta.path("tool_calls")) {
                ObjectNode folded = calls.computeIfAbsent(call.path("index").asInt(), i -> {
                    ObjectNode fresh = MAPPER.createObjectNode();
                    fresh.putObject("function").put("arguments", "");
                    return fresh;
                });
                if (call.has("id")) {
                    folded.put("id", call.get("id").asText()).put("type", "function");
                    ((ObjectNode) folded.get("function"))
                            .put("name", call.path("function").path("name").asText());
                }
                ObjectNode function = (ObjectNode) folded.get("function");
                function.put(
                        "arguments",
                        function.get("arguments").asText()
                                + call.path("function").path("arguments").asText(""));
            }
        }
        ObjectNode completion = MAPPER.createObjectNode();
        ObjectNode message = completion.putArray("choices").addObject().putObject("message");
        if (sawContent) {
            message.put("content", content.toString());
        } else {
            message.putNull("content");
        }
        if (annotations != null) {
            message.set("annotations", annotations);
        }
        if (!calls.isEmpty()) {
            ArrayNode list = message.putArray("tool_calls");
            calls.values().forEach(call -> {
                ObjectNode ordered =
                        list.addObject().put("id", call.get("id").asText()).put("type", "function");
                ordered.putObject("function")
                        .put("name", call.at("/function/name").asText())
                        .put("arguments", call.at("/function/arguments").asText());
            });
        }
        ((ObjectNode) completion.at("/choices/0")).put("finish_reason", finish);
        completion.set("usage", usage);
        return completion;
    }
}
