package dev.keyline.adapters.providers.openai;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.longs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keyline.adapters.wire.JacksonMessageEventCodec;
import dev.keyline.adapters.wire.MessagesRequestCodec;
import dev.keyline.domain.deployment.AuthScheme;
import dev.keyline.domain.deployment.Deployment;
import dev.keyline.domain.message.ContentBlock;
import dev.keyline.domain.message.MessageFold;
import dev.keyline.domain.message.MessageResponse;
import dev.keyline.domain.message.MessagesRequest;
import dev.keyline.domain.testing.TestDeployments;
import dev.keyline.ports.out.StreamStep;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The chat completions translation on generated conversations and answers: nothing a client sent or a model
 * answered is lost on the way (no block, tool id, argument or usage token), and a streamed answer folds to the same
 * message as the JSON one.
 */
class ChatTranslationPropertyTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Deployment DEPLOYMENT = TestDeployments.withProvider(
            TestDeployments.at("http://127.0.0.1:9/v1", AuthScheme.BEARER, Duration.ofSeconds(5)), "hosted_vllm");

    @Test
    void everyTurnToolCallAndToolResult_arrivesInTheChatRequest_inItsPlace() {
        qt().withExamples(300).forAll(longs().all()).checkAssert(seed -> {
            Random random = new Random(seed);
            ObjectNode anthropic = conversation(random);
            MessagesRequest request =
                    new MessagesRequestCodec(MAPPER).read(anthropic.toString().getBytes(StandardCharsets.UTF_8));

            JsonNode chat;
            try {
                chat = tree(new OpenAiChatRequests(MAPPER).write(DEPLOYMENT, request, random.nextBoolean()));
            } catch (UntranslatableRequest e) {
                throw new AssertionError("a plain conversation is expressible: " + e.getMessage(), e);
            }

            List<String> expected = new ArrayList<>();
            for (JsonNode message : anthropic.path("messages")) {
                String role = message.path("role").asText();
                StringBuilder text = new StringBuilder();
                List<String> results = new ArrayList<>();
                List<String> calls = new ArrayList<>();
                for (JsonNode block : message.path("content")) {
                    switch (block.path("type").asText()) {
                        case "text" -> text.append(block.path("text").asText());
                        case "tool_result" ->
                            results.add("tool " + block.path("tool_use_id").asText() + " "
                                    + (block.path("is_error").asBoolean() ? "Error: " : "")
                                    + block.path("content").asText());
                        case "tool_use" ->
                            calls.add(block.path("id").asText() + " "
                                    + block.path("name").asText() + " " + block.path("input"));
                        default -> throw new IllegalStateException();
                    }
                }
                expected.addAll(results);
                if (role.equals("assistant")) {
                    expected.add("assistant " + text + " " + calls);
                } else if (!text.isEmpty()) {
                    expected.add("user " + text);
                }
            }
            List<String> actual = new ArrayList<>();
            JsonNode messages = chat.path("messages");
            assertEquals("system", messages.path(0).path("role").asText());
            assertEquals(
                    anthropic.path("system").asText(),
                    messages.path(0).path("content").asText());
            for (int i = 1; i < messages.size(); i++) {
                JsonNode message = messages.get(i);
                switch (message.path("role").asText()) {
                    case "tool" ->
                        actual.add("tool " + message.path("tool_call_id").asText() + " "
                                + message.path("content").asText());
                    case "assistant" -> {
                        List<String> calls = new ArrayList<>();
                        for (JsonNode call : message.path("tool_calls")) {
                            calls.add(call.path("id").asText() + " "
                                    + call.path("function").path("name").asText() + " "
                                    + tree(call.path("function")
                                            .path("arguments")
                                            .asText()
                                            .getBytes(StandardCharsets.UTF_8)));
                        }
                        actual.add("assistant " + message.path("content").asText("") + " " + calls);
                    }
                    case "user" -> actual.add("user " + message.path("content").asText());
                    default -> throw new IllegalStateException(message.toString());
                }
            }
            assertEquals(expected, actual, anthropic.toString());
            assertEquals(anthropic.path("tools").size(), chat.path("tools").size());
            for (int i = 0; i < anthropic.path("tools").size(); i++) {
                assertEquals(
                        anthropic.path("tools").get(i).path("name").asText(),
                        chat.path("tools").get(i).path("function").path("name").asText());
                assertEquals(
                        anthropic.path("tools").get(i).path("input_schema"),
                        chat.path("tools").get(i).path("function").path("parameters"));
            }
        });
    }

    @Test
    void aScriptedAnswer_readAsJsonOrFoldedFromItsChunks_isTheSameMessage_withNothingLost() {
        MessagesRequest request = new MessagesRequestCodec(MAPPER)
                .read("{\"model\":\"group\",\"max_tokens\":50,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"
                        .getBytes(StandardCharsets.UTF_8));
        qt().withExamples(300).forAll(longs().all()).checkAssert(seed -> {
            Random random = new Random(seed);
            Answer answer = answer(random);

            MessageResponse fromJson;
            try {
                fromJson = new OpenAiChatAnswers(MAPPER).read(answer.json().getBytes(StandardCharsets.UTF_8), request);
            } catch (java.io.IOException e) {
                throw new AssertionError(e);
            }
            MessageResponse fromStream = fold(answer.chunks(random), request);

            assertEquals(fromJson.content(), fromStream.content(), answer.json());
            assertEquals(fromJson.stopReason(), fromStream.stopReason());
            assertEquals(fromJson.usage().inputTokens(), fromStream.usage().inputTokens());
            assertEquals(fromJson.usage().outputTokens(), fromStream.usage().outputTokens());
            assertEquals(
                    fromJson.usage().cacheReadInputTokens(), fromStream.usage().cacheReadInputTokens());
            assertEquals(answer.blocks(), fromJson.content().size(), "no block lost");
            int calls = 0;
            for (ContentBlock block : fromJson.content()) {
                if (block instanceof ContentBlock.ToolUse use) {
                    assertEquals("call_" + calls, use.id());
                    assertEquals((long) calls, ((Number) use.input().get("n").orElseThrow()).longValue());
                    calls++;
                }
            }
            assertEquals(answer.prompt() - answer.cached(), fromJson.usage().inputTokens());
        });
    }

    /** A chat answer in both forms. */
    private record Answer(
            String json,
            List<String> textPieces,
            List<List<String>> argumentPieces,
            int prompt,
            int cached,
            int completion,
            String finish) {

        int blocks() {
            return (textPieces.isEmpty() ? 0 : 1) + argumentPieces.size();
        }

        String chunks(Random random) {
            StringBuilder sse = new StringBuilder();
            sse.append(chunk("{\"role\":\"assistant\"}", null));
            for (String piece : textPieces) {
                sse.append(chunk("{\"content\":" + MAPPER.valueToTree(piece) + "}", null));
            }
            for (int call = 0; call < argumentPieces.size(); call++) {
                List<String> pieces = argumentPieces.get(call);
                for (int p = 0; p < pieces.size(); p++) {
                    String head = p == 0
                            ? "\"id\":\"call_" + call + "\",\"type\":\"function\",\"function\":{\"name\":\"f\","
                            : "\"function\":{";
                    sse.append(chunk(
                            "{\"tool_calls\":[{\"index\":" + call + "," + head + "\"arguments\":"
                                    + MAPPER.valueToTree(pieces.get(p)) + "}}]}",
                            null));
                }
            }
            sse.append(chunk("{}", "\"" + finish + "\""));
            String usage = "{\"prompt_tokens\":" + prompt + ",\"completion_tokens\":" + completion
                    + ",\"prompt_tokens_details\":{\"cached_tokens\":" + cached + "}}";
            sse.append("data: {\"id\":\"chatcmpl-p\",\"choices\":[],\"usage\":")
                    .append(usage)
                    .append("}\n\n");
            if (random.nextBoolean()) {
                sse.append("data: [DONE]\n\n");
            }
            return sse.toString();
        }
    }

    private static Answer answer(Random random) {
        List<String> textPieces = new ArrayList<>();
        if (random.nextInt(4) > 0) {
            for (int i = 0, n = 1 + random.nextInt(4); i < n; i++) {
                textPieces.add(words(random));
            }
        }
        List<List<String>> argumentPieces = new ArrayList<>();
        ArrayNode calls = MAPPER.createArrayNode();
        for (int call = 0, n = textPieces.isEmpty() ? 1 + random.nextInt(3) : random.nextInt(4); call < n; call++) {
            String arguments = "{\"n\":" + call + ",\"q\":" + MAPPER.valueToTree(words(random)) + "}";
            List<String> pieces = new ArrayList<>();
            int at = 0;
            while (at < arguments.length()) {
                int next = Math.min(arguments.length(), at + 1 + random.nextInt(8));
                if (next < arguments.length() && Character.isLowSurrogate(arguments.charAt(next))) {
                    next++; // a chunk's JSON string is whole Unicode: servers never split a character
                }
                pieces.add(arguments.substring(at, next));
                at = next;
            }
            argumentPieces.add(pieces);
            ObjectNode tool = calls.addObject().put("id", "call_" + call).put("type", "function");
            tool.putObject("function").put("name", "f").put("arguments", arguments);
        }
        int prompt = random.nextInt(5000);
        int cached = random.nextInt(prompt + 1);
        int completion = random.nextInt(2000);
        String finish = argumentPieces.isEmpty()
                ? List.of("stop", "length", "content_filter").get(random.nextInt(3))
                : "tool_calls";
        ObjectNode root = MAPPER.createObjectNode().put("id", "chatcmpl-p");
        ObjectNode choice = root.putArray("choices").addObject().put("index", 0).put("finish_reason", finish);
        ObjectNode message = choice.putObject("message").put("role", "assistant");
        if (textPieces.isEmpty()) {
            message.putNull("content");
        } else {
            message.put("content", String.join("", textPieces));
        }
        if (!calls.isEmpty()) {
            message.set("tool_calls", calls);
        }
        root.putObject("usage")
                .put("prompt_tokens", prompt)
                .put("completion_tokens", completion)
                .putObject("prompt_tokens_details")
                .put("cached_tokens", cached);
        return new Answer(root.toString(), textPieces, argumentPieces, prompt, cached, completion, finish);
    }

    private static MessageResponse fold(String sse, MessagesRequest request) {
        JacksonMessageEventCodec codec = new JacksonMessageEventCodec(MAPPER);
        MessageFold fold = new MessageFold(codec::parseObject);
        try (OpenAiChunkStream stream = new OpenAiChunkStream(
                new ByteArrayInputStream(sse.getBytes(StandardCharsets.UTF_8)),
                () -> {},
                DEPLOYMENT,
                MAPPER,
                request,
                Duration.ofSeconds(5))) {
            while (true) {
                StreamStep step = stream.next();
                if (step instanceof StreamStep.End) {
                    break;
                }
                fold.add(codec.typed(assertInstanceOf(StreamStep.Event.class, step, step.toString())
                        .event()));
            }
        }
        return fold.result();
    }

    private static ObjectNode conversation(Random random) {
        ObjectNode request = MAPPER.createObjectNode().put("model", "group").put("max_tokens", 100);
        request.put("system", words(random));
        ArrayNode tools = request.putArray("tools");
        for (int i = 0, n = random.nextInt(3); i < n; i++) {
            ObjectNode tool = tools.addObject().put("name", "tool_" + i).put("description", words(random));
            tool.putObject("input_schema").put("type", "object").putObject("properties");
        }
        if (tools.isEmpty()) {
            request.remove("tools");
        }
        ArrayNode messages = request.putArray("messages");
        List<String> pendingCalls = new ArrayList<>();
        int turns = 1 + 2 * random.nextInt(3);
        for (int turn = 0; turn < turns; turn++) {
            ArrayNode content = messages.addObject()
                    .put("role", turn % 2 == 0 ? "user" : "assistant")
                    .putArray("content");
            if (turn % 2 == 0) {
                for (String id : pendingCalls) {
                    ObjectNode result = content.addObject()
                            .put("type", "tool_result")
                            .put("tool_use_id", id)
                            .put("content", words(random));
                    if (random.nextBoolean()) {
                        result.put("is_error", true);
                    }
                }
                pendingCalls.clear();
                if (content.isEmpty() || random.nextBoolean()) {
                    content.addObject().put("type", "text").put("text", words(random));
                }
            } else {
                if (random.nextBoolean()) {
                    content.addObject().put("type", "text").put("text", words(random));
                }
                for (int c = 0, n = content.isEmpty() ? 1 + random.nextInt(2) : random.nextInt(3); c < n; c++) {
                    String id = "toolu_" + turn + "_" + c;
                    ObjectNode use = content.addObject()
                            .put("type", "tool_use")
                            .put("id", id)
                            .put("name", "tool_" + c);
                    use.putObject("input").put("q", words(random)).put("k", random.nextInt(100));
                    pendingCalls.add(id);
                }
            }
        }
        return request;
    }

    private static String words(Random random) {
        String[] words = {"java", "gateway", "ключ", "é", "😀", "a\"b", "line\nbreak", "tab\t", "{", "}"};
        StringBuilder text = new StringBuilder();
        for (int i = 0, n = 1 + random.nextInt(5); i < n; i++) {
            text.append(i == 0 ? "" : " ").append(words[random.nextInt(words.length)]);
        }
        return text.toString();
    }

    private static String chunk(String delta, String finish) {
        return "data: {\"id\":\"chatcmpl-p\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,"
                + "\"delta\":" + delta + ",\"finish_reason\":" + finish + "}]}\n\n";
    }

    private static JsonNode tree(byte[] json) {
        try {
            return MAPPER.readTree(json);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }
}
