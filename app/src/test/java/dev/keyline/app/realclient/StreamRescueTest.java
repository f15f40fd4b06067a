package dev.keyline.app.realclient;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.core.http.StreamResponse;
import com.anthropic.helpers.MessageAccumulator;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.RawMessageStreamEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.helpers.ChatCompletionAccumulator;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import dev.keyline.app.KeylineServer;
import dev.keyline.app.config.ConfigLoader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Stream rescue as clients see it: deployment {@code a} cuts its stream at any byte (a TCP reset), its group mate
 * {@code b} continues from the prefill Keyline sends; the Anthropic SDK's accumulator on the Messages door, and the
 * OpenAI SDK's on the chat completions door, fold one message whose text is the whole answer. ({@code a} never cools
 * down, so every request starts there.)
 */
class StreamRescueTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String GATEWAY_KEY = "sk-gateway-rescue";
    private static final List<String> WORDS = List.of(
            "Rescue",
            " keeps",
            " every",
            " word",
            " of",
            " this",
            " answer",
            " in",
            " order,",
            " once.\n\n",
            "Then",
            " it",
            " ends",
            " with",
            " one",
            " stop",
            " reason.");
    private static final String ANSWER = String.join("", WORDS);

    private static CuttingUpstream upstream;
    private static KeylineServer keyline;
    private static AnthropicClient anthropic;
    private static OpenAIClient openai;

    @BeforeAll
    static void start() throws IOException {
        upstream = new CuttingUpstream();
        keyline = KeylineServer.start(
                new ConfigLoader(Map.of("KEYLINE_MASTER_KEY", GATEWAY_KEY))
                        .parse("""
                                model_list:
                                  - model_name: claude
                                    litellm_params:
                                      model: anthropic/model-a
                                      api_base: %s/a
                                      api_key: sk-a-key
                                      order: 1
                                      cooldown_time: 0
                                  - model_name: claude
                                    litellm_params:
                                      model: anthropic/model-b
                                      api_base: %s/b
                                      api_key: sk-b-key
                                      order: 2
                                general_settings:
                                  master_key: os.environ/KEYLINE_MASTER_KEY
                                """.formatted(upstream.base(), upstream.base()), "rescue.yaml"),
                "127.0.0.1",
                0,
                InstantSource.system());
        anthropic = AnthropicOkHttpClient.builder()
                .baseUrl(keyline.baseUrl())
                .apiKey(GATEWAY_KEY)
                .maxRetries(0)
                .build();
        openai = OpenAIOkHttpClient.builder()
                .baseUrl(keyline.baseUrl() + "/v1")
                .apiKey(GATEWAY_KEY)
                .maxRetries(0)
                .build();
    }

    @AfterAll
    static void stop() throws IOException {
        anthropic.close();
        openai.close();
        keyline.close();
        upstream.close();
    }

    @Test
    void aStreamCutAtAnyByte_foldsIntoTheWholeAnswer_inTheAnthropicSdk() {
        int length = upstream.streamLength("");
        qt().withExamples(40).forAll(integers().between(1, length - 1)).checkAssert(cut -> {
            upstream.cutAt(cut);
            MessageAccumulator accumulator = MessageAccumulator.create();
            try (StreamResponse<RawMessageStreamEvent> stream =
                    anthropic.messages().createStreaming(messagesParams())) {
                stream.stream().forEach(accumulator::accumulate);
            }
            Message message = accumulator.message();

            assertEquals(ANSWER, text(message), "cut at byte " + cut);
            assertEquals("end_turn", message.stopReason().orElseThrow().asString());
        });
    }

    @Test
    void aStreamCutAtAnyByte_continuesTheSameChoice_inTheOpenAiSdk() {
        int length = upstream.streamLength("");
        qt().withExamples(25).forAll(integers().between(1, length - 1)).checkAssert(cut -> {
            upstream.cutAt(cut);
            ChatCompletionAccumulator accumulator = ChatCompletionAccumulator.create();
            List<ChatCompletionChunk> chunks = new ArrayList<>();
            try (var stream = openai.chat().completions().createStreaming(chatParams())) {
                stream.stream().forEach(chunk -> {
                    chunks.add(chunk);
                    accumulator.accumulate(chunk);
                });
            }
            ChatCompletion completion = accumulator.chatCompletion();

            assertEquals(1, completion.choices().size(), "one choice, cut at byte " + cut);
            assertEquals(
                    ANSWER, completion.choices().getFirst().message().content().orElseThrow(), "cut at byte " + cut);
            assertEquals(
                    1,
                    chunks.stream()
                            .filter(c -> !c.choices().isEmpty()
                                    && c.choices().getFirst().finishReason().isPresent())
                            .count(),
                    "one finish_reason, cut at byte " + cut);
        });
    }

    @Test
    void aRescuedAnswer_isOneMessage_whoseUsageCountsBothCalls_andIsCounted() throws Exception {
        upstream.closeAt(upstream.streamLength("") / 2);
        MessageAccumulator accumulator = MessageAccumulator.create();
        try (StreamResponse<RawMessageStreamEvent> stream = anthropic.messages().createStreaming(messagesParams())) {
            stream.stream().forEach(accumulator::accumulate);
        }
        Message message = accumulator.message();

        assertEquals("msg_a", message.id(), "the message the client started is the one that ends");
        assertTrue(
                message.usage().outputTokens() > WORDS.size(),
                "the continuation's output and an estimate of the broken call's: " + message.usage());
        JsonNode continuation = JSON.readTree(upstream.lastBody("b"));
        JsonNode last =
                continuation.path("messages").path(continuation.path("messages").size() - 1);
        assertEquals("assistant", last.path("role").asText());
        String prefill = last.path("content").path(0).path("text").asText();
        assertTrue(ANSWER.startsWith(prefill), prefill);
        assertFalse(prefill.isEmpty() || Character.isWhitespace(prefill.charAt(prefill.length() - 1)), prefill);
        assertEquals("model-b", continuation.path("model").asText());
        assertEquals("sk-b-key", upstream.lastKey("b"), "the continuation carries its own deployment's key");
        String metrics = java.net.http.HttpClient.newHttpClient()
                .send(
                        java.net.http.HttpRequest.newBuilder(java.net.URI.create(keyline.baseUrl() + "/metrics"))
                                .header("x-api-key", GATEWAY_KEY)
                                .build(),
                        java.net.http.HttpResponse.BodyHandlers.ofString())
                .body();
        assertTrue(
                metrics.lines()
                        .anyMatch(l -> l.startsWith("keyline_stream_rescues_total{")
                                && l.contains("deployment=\"claude-1\"")
                                && l.contains("outcome=\"continued\"")),
                metrics.lines().filter(l -> l.contains("rescue")).toList().toString());
    }

    private static MessageCreateParams messagesParams() {
        return MessageCreateParams.builder()
                .model("claude")
                .maxTokens(256)
                .addUserMessage("Tell me about rescue.")
                .build();
    }

    private static ChatCompletionCreateParams chatParams() {
        return ChatCompletionCreateParams.builder()
                .model("claude")
                .addUserMessage("Tell me about rescue.")
                .maxCompletionTokens(256)
                .build();
    }

    private static String text(Message message) {
        StringBuilder text = new StringBuilder();
        message.content().forEach(block -> block.text().ifPresent(t -> text.append(t.text())));
        return text.toString();
    }

    /**
     * Two Anthropic-compatible deployments on one loopback socket: {@code /a} streams the answer and resets (or
     * closes) the connection after {@code cut} bytes of its body; {@code /b} continues the answer from the request's prefill
     * (refusing, as the API does, a prefill that is not its start or ends in whitespace).
     */
    private static final class CuttingUpstream implements AutoCloseable {
        private final ServerSocket server;
        private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
        private final AtomicInteger cut = new AtomicInteger();
        /** Whether the cut is a clean close, so every byte before it arrives; a reset may lose the last ones. */
        private volatile boolean clean;

        private final Map<String, String> lastBodies = new java.util.concurrent.ConcurrentHashMap<>();
        private final Map<String, String> lastKeys = new java.util.concurrent.ConcurrentHashMap<>();

        CuttingUpstream() throws IOException {
            server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            threads.submit(this::accept);
        }

        String base() {
            return "http://127.0.0.1:" + server.getLocalPort();
        }

        void cutAt(int bytes) {
            cut.set(bytes);
            clean = false;
        }

        void closeAt(int bytes) {
            cut.set(bytes);
            clean = true;
        }

        String lastBody(String deployment) {
            return lastBodies.get(deployment);
        }

        String lastKey(String deployment) {
            return lastKeys.get(deployment);
        }

        int streamLength(String prefill) {
            return stream("msg_a", prefill).length;
        }

        private void accept() {
            while (!server.isClosed()) {
                try {
                    Socket socket = server.accept();
                    threads.submit(() -> serve(socket));
                } catch (IOException e) {
                    return;
                }
            }
        }

        private void serve(Socket socket) {
            try (socket) {
                InputStream in = socket.getInputStream();
                Map<String, String> headers = new java.util.HashMap<>();
                String requestLine = readLine(in);
                for (String line = readLine(in); !line.isEmpty(); line = readLine(in)) {
                    int colon = line.indexOf(':');
                    headers.put(
                            line.substring(0, colon).strip().toLowerCase(Locale.ROOT),
                            line.substring(colon + 1).strip());
                }
                String body = new String(
                        in.readNBytes(Integer.parseInt(headers.getOrDefault("content-length", "0"))),
                        StandardCharsets.UTF_8);
                String deployment = requestLine.split(" ")[1].startsWith("/a/") ? "a" : "b";
                lastBodies.put(deployment, body);
                lastKeys.put(deployment, headers.getOrDefault("x-api-key", ""));
                OutputStream out = socket.getOutputStream();
                if (deployment.equals("a")) {
                    byte[] whole = stream("msg_a", "");
                    out.write(head());
                    out.write(whole, 0, cut.get());
                    out.flush();
                    if (clean) {
                        socket.shutdownOutput();
                        in.transferTo(OutputStream.nullOutputStream()); // until the gateway lets go
                    } else {
                        socket.setSoLinger(true, 0); // a reset, not a clean end
                    }
                    return;
                }
                String prefill = prefill(body);
                if (!ANSWER.startsWith(prefill) || !prefill.equals(prefill.stripTrailing())) {
                    byte[] refusal = ("{\"type\":\"error\",\"error\":{\"type\":\"invalid_request_error\","
                                    + "\"message\":\"not a continuation of this answer\"}}")
                            .getBytes(StandardCharsets.UTF_8);
                    out.write(("HTTP/1.1 400 Bad Request\r\ncontent-type: application/json\r\ncontent-length: "
                                    + refusal.length + "\r\nconnection: close\r\n\r\n")
                            .getBytes(StandardCharsets.ISO_8859_1));
                    out.write(refusal);
                    return;
                }
                out.write(head());
                out.write(stream("msg_b", prefill));
            } catch (IOException e) {
                // the gateway left; nothing to answer
            }
        }

        private static byte[] head() {
            return ("HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\nconnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1);
        }

        /** @return the answer's event stream from the prefill on, a word a delta */
        private static byte[] stream(String id, String prefill) {
            StringBuilder sse = new StringBuilder();
            event(
                    sse,
                    "message_start",
                    "{\"type\":\"message_start\",\"message\":{\"id\":\"" + id
                            + "\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"m\",\"content\":[],"
                            + "\"stop_reason\":null,\"stop_sequence\":null,\"usage\":{\"input_tokens\":9,\"output_tokens\":1}}}");
            event(
                    sse,
                    "content_block_start",
                    "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}");
            int offset = 0;
            int sent = 0;
            for (String word : WORDS) {
                int end = offset + word.length();
                if (end > prefill.length()) {
                    String piece = word.substring(Math.max(0, prefill.length() - offset));
                    event(
                            sse,
                            "content_block_delta",
                            "{\"type\":\"content_block_delta\",\"index\":0,"
                                    + "\"delta\":{\"type\":\"text_delta\",\"text\":" + quoted(piece) + "}}");
                    sent++;
                }
                offset = end;
            }
            event(sse, "content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}");
            event(
                    sse,
                    "message_delta",
                    "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\","
                            + "\"stop_sequence\":null},\"usage\":{\"output_tokens\":" + sent + "}}");
            event(sse, "message_stop", "{\"type\":\"message_stop\"}");
            return sse.toString().getBytes(StandardCharsets.UTF_8);
        }

        private static String quoted(String text) {
            try {
                return JSON.writeValueAsString(text);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }

        private static void event(StringBuilder sse, String type, String data) {
            sse.append("event: ").append(type).append("\ndata: ").append(data).append("\n\n");
        }

        private static String prefill(String body) throws IOException {
            JsonNode messages = JSON.readTree(body).path("messages");
            JsonNode last = messages.path(messages.size() - 1);
            if (!last.path("role").asText().equals("assistant")) {
                return "";
            }
            JsonNode content = last.path("content");
            if (content.isTextual()) {
                return content.asText();
            }
            StringBuilder text = new StringBuilder();
            content.forEach(block -> text.append(block.path("text").asText("")));
            return text.toString();
        }

        private static String readLine(InputStream in) throws IOException {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            for (int b = in.read(); b >= 0 && b != '\n'; b = in.read()) {
                if (b != '\r') {
                    line.write(b);
                }
            }
            return line.toString(StandardCharsets.ISO_8859_1);
        }

        @Override
        public void close() throws IOException {
            server.close();
            threads.shutdownNow();
        }
    }
}
