package dev.keyline.adapters.providers.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keyline.adapters.providers.anthropic.AnthropicProviderClient;
import dev.keyline.adapters.providers.openai.OpenAiProviderClient;
import dev.keyline.adapters.wire.testing.UpstreamFixtures;
import dev.keyline.domain.failure.ProviderFailure;
import dev.keyline.domain.message.ProtocolHeaders;
import dev.keyline.domain.testing.TestDeployments;
import dev.keyline.ports.out.EventStream;
import dev.keyline.ports.out.ProviderReply;
import dev.keyline.ports.out.ProviderRequest;
import dev.keyline.ports.out.ProviderStream;
import dev.keyline.ports.out.StreamStep;
import dev.keyline.ports.testing.TestMessages;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.WebServer;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A finished call hands its upstream connection back for the next one: opening a new one costs a TCP connect on the
 * path to every answer, and a connection kept per call runs the process out of files. Runs against a real upstream
 * that sees the client's ports.
 */
class UpstreamConnectionReuseTest {

    private final Set<Integer> clientPorts = ConcurrentHashMap.newKeySet();
    private volatile boolean holdBodyOpen;
    private volatile boolean slowAnswer;
    private static final String CHAT_ANSWER = "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion\",\"model\":\"m\","
            + "\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"hi\"},"
            + "\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":1,\"completion_tokens\":1}}";
    private static final String ANSWER =
            "{\"id\":\"msg_1\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"m\","
                    + "\"content\":[{\"type\":\"text\",\"text\":\"hi\"}],\"stop_reason\":\"end_turn\",\"stop_sequence\":null,"
                    + "\"usage\":{\"input_tokens\":1,\"output_tokens\":1}}";
    private WebServer upstream;
    private final AnthropicProviderClient client =
            new AnthropicProviderClient(ProviderHttpClients.standard(), new ObjectMapper(), InstantSource.system());
    private final ProviderRequest request =
            new ProviderRequest(TestMessages.hello(true), new ProtocolHeaders(Optional.empty(), List.of()));

    @BeforeEach
    void startUpstream() {
        upstream = WebServer.builder()
                .host("127.0.0.1")
                .port(0)
                .routing(routing -> routing.post("/plan/anthropic/chat/completions", (req, res) -> {
                            clientPorts.add(req.remotePeer().port());
                            req.content().consume();
                            res.header(HeaderNames.CONTENT_TYPE, "application/json")
                                    .send(CHAT_ANSWER);
                        })
                        .post("/plan/anthropic/v1/messages", (req, res) -> {
                            if (!req.content().as(String.class).contains("\"stream\":true")) {
                                clientPorts.add(req.remotePeer().port());
                                if (slowAnswer) {
                                    Thread.sleep(3_000);
                                }
                                res.header(HeaderNames.CONTENT_TYPE, "application/json")
                                        .send(ANSWER);
                                return;
                            }
                            clientPorts.add(req.remotePeer().port());
                            res.header(HeaderNames.CONTENT_TYPE, "text/event-stream");
                            try (OutputStream out = res.outputStream()) {
                                // One event per flush: a chunked body, as real providers send.
                                for (String event :
                                        UpstreamFixtures.stream("Hello").split("(?<=\n\n)")) {
                                    out.write(event.getBytes(StandardCharsets.UTF_8));
                                    out.flush();
                                }
                                if (holdBodyOpen) {
                                    Thread.sleep(3_000);
                                }
                            }
                        }))
                .build()
                .start();
    }

    @AfterEach
    void stopUpstream() {
        upstream.stop();
    }

    @Test
    void streamsReadToMessageStop_shareOneUpstreamConnection() {
        for (int i = 0; i < 5; i++) {
            assertEquals("message_stop", lastEventType());
        }
        assertEquals(1, clientPorts.size(), "client ports seen by the upstream: " + clientPorts);
    }

    @Test
    void answersUnderADeadline_shareOneUpstreamConnection() {
        // Each request's deadline leaves a different wait, under the deployment's 5 s timeout; the connection must
        // not be keyed by it.
        ProviderRequest json =
                new ProviderRequest(TestMessages.hello(false), new ProtocolHeaders(Optional.empty(), List.of()));
        for (int i = 0; i < 20; i++) {
            ProviderReply reply = client.send(
                    TestDeployments.kimi("http://127.0.0.1:" + upstream.port()),
                    json.answeringBy(Instant.now().plusMillis(3_000 + 7L * i)));
            assertInstanceOf(ProviderReply.Completed.class, reply);
        }
        assertEquals(1, clientPorts.size(), "client ports seen by the upstream: " + clientPorts);
    }

    @Test
    void chatCompletionsUnderADeadline_shareOneUpstreamConnectionToo() {
        OpenAiProviderClient chat =
                new OpenAiProviderClient(ProviderHttpClients.standard(), new ObjectMapper(), InstantSource.system());
        ProviderRequest json =
                new ProviderRequest(TestMessages.hello(false), new ProtocolHeaders(Optional.empty(), List.of()));
        for (int i = 0; i < 20; i++) {
            ProviderReply reply = chat.send(
                    TestDeployments.withProvider(
                            TestDeployments.kimi("http://127.0.0.1:" + upstream.port()), "hosted_vllm"),
                    json.answeringBy(Instant.now().plusMillis(3_000 + 7L * i)));
            assertInstanceOf(ProviderReply.Completed.class, reply);
        }
        assertEquals(1, clientPorts.size(), "client ports seen by the upstream: " + clientPorts);
    }

    @Test
    void aDeadlineShorterThanTheAnswer_isHeldWithoutAShorterConnectionTimeout() {
        slowAnswer = true;
        ProviderRequest json =
                new ProviderRequest(TestMessages.hello(false), new ProtocolHeaders(Optional.empty(), List.of()));
        long started = System.nanoTime();
        ProviderReply reply = client.send(
                TestDeployments.kimi("http://127.0.0.1:" + upstream.port()),
                json.answeringBy(Instant.now().plusMillis(300)));
        long tookMillis = (System.nanoTime() - started) / 1_000_000;

        ProviderReply.Failed failed = assertInstanceOf(ProviderReply.Failed.class, reply);
        assertInstanceOf(ProviderFailure.Timeout.class, failed.failure());
        assertTrue(tookMillis < 2_000, "gave up after " + tookMillis + " ms");
    }

    @Test
    void aStreamAbandonedMidway_doesNotLeaveItsConnectionForTheNextCall() {
        try (EventStream events = open()) {
            assertInstanceOf(StreamStep.Event.class, events.next());
        }
        assertEquals("message_stop", lastEventType());
        assertEquals(2, clientPorts.size(), "client ports seen by the upstream: " + clientPorts);
    }

    @Test
    void anUpstreamHoldingItsBodyOpenAfterMessageStop_doesNotHoldUpClosing() {
        holdBodyOpen = true;
        EventStream events = open();
        String type = null;
        for (StreamStep step = events.next(); step instanceof StreamStep.Event e; step = events.next()) {
            type = e.event().type();
        }
        long started = System.nanoTime();
        events.close();
        long closingMillis = (System.nanoTime() - started) / 1_000_000;

        assertEquals("message_stop", type);
        assertTrue(closingMillis < 1_000, "closing took " + closingMillis + " ms while the upstream held its body 3 s");
    }

    private String lastEventType() {
        String type = null;
        try (EventStream events = open()) {
            for (StreamStep step = events.next(); step instanceof StreamStep.Event e; step = events.next()) {
                type = e.event().type();
            }
        }
        return type;
    }

    private EventStream open() {
        ProviderStream stream = client.stream(TestDeployments.kimi("http://127.0.0.1:" + upstream.port()), request);
        return assertInstanceOf(ProviderStream.Opened.class, stream).events();
    }
}
