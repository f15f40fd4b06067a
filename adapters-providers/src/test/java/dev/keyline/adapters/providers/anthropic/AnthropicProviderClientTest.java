package dev.keyline.adapters.providers.anthropic;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.notContaining;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keyline.adapters.providers.common.ProviderHttpClients;
import dev.keyline.adapters.providers.common.RetryAfter;
import dev.keyline.adapters.wire.testing.UpstreamFixtures;
import dev.keyline.domain.failure.ErrorReply;
import dev.keyline.domain.failure.ProviderFailure;
import dev.keyline.domain.message.ContentBlock;
import dev.keyline.domain.message.ProtocolHeaders;
import dev.keyline.domain.testing.TestDeployments;
import dev.keyline.ports.out.EventStream;
import dev.keyline.ports.out.ProviderClient;
import dev.keyline.ports.out.ProviderClientContract;
import dev.keyline.ports.out.ProviderReply;
import dev.keyline.ports.out.ProviderRequest;
import dev.keyline.ports.out.ProviderStream;
import dev.keyline.ports.out.StreamStep;
import dev.keyline.ports.out.TokenCount;
import dev.keyline.ports.testing.TestMessages;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The provider-adapter contract, and what is particular to the Anthropic protocol. */
class AnthropicProviderClientTest extends ProviderClientContract {

    private static final String PATH = "/plan/anthropic/v1/messages";

    private static final InstantSource CLOCK = InstantSource.fixed(Instant.parse("2026-11-24T10:00:00Z"));

    private final AnthropicProviderClient client =
            new AnthropicProviderClient(ProviderHttpClients.standard(), new ObjectMapper(), CLOCK);

    @Override
    protected InstantSource clock() {
        return CLOCK;
    }

    @Override
    protected ProviderClient adapter() {
        return client;
    }

    @Override
    protected String provider() {
        return "anthropic";
    }

    @Override
    protected String protocolPath() {
        return "/v1/messages";
    }

    @Override
    protected String answer(String text) {
        return UpstreamFixtures.MESSAGE.replace("Hello!", text);
    }

    @Override
    protected List<String> streamFrames(String text) {
        return Arrays.stream(UpstreamFixtures.stream(text).split("(?<=\n\n)")).toList();
    }

    @Override
    protected Map<String, String> protocolHeaders(ProtocolHeaders client) {
        return Map.of(
                "anthropic-version",
                client.versionOrDefault(),
                "anthropic-beta",
                String.join(",", client.anthropicBeta()));
    }

    private final ProviderRequest request = new ProviderRequest(
            TestMessages.hello(false),
            new ProtocolHeaders(
                    Optional.of("2026-10-21"), List.of("web-search-2025-03-05", "fine-grained-tool-streaming")));

    @Test
    void aCall_carriesTheDeploymentsKeyHeadersAndProviderModel_toItsApiBase() {
        upstream.stubFor(post(PATH)
                .willReturn(aResponse()
                        .withHeader("content-type", "application/json")
                        .withHeader("request-id", "req_123")
                        .withBody(UpstreamFixtures.MESSAGE)));

        ProviderReply reply = client.send(TestDeployments.kimi(upstream.baseUrl()), request);

        ProviderReply.Completed completed = assertInstanceOf(ProviderReply.Completed.class, reply);
        assertEquals(
                "Hello!", ((ContentBlock.Text) completed.response().content().getFirst()).text());
        assertEquals("req_123", completed.headers().values().get("request-id"));
        upstream.verify(
                1,
                postRequestedFor(urlEqualTo(PATH))
                        .withHeader("x-api-key", equalTo(TestDeployments.KEY))
                        .withHeader("authorization", absent())
                        .withHeader("anthropic-version", equalTo("2026-10-21"))
                        .withHeader("anthropic-beta", equalTo("web-search-2025-03-05,fine-grained-tool-streaming"))
                        .withHeader("x-tenant", equalTo("t-42"))
                        .withHeader("content-type", equalTo("application/json"))
                        .withRequestBody(matchingJsonPath("$.model", equalTo("kimi-k2.5")))
                        .withRequestBody(matchingJsonPath("$.messages[0].content[0].text", equalTo("hello"))));
    }

    @Test
    void countTokens_asksTheDeploymentsOwnCountEndpoint_withItsKey_withoutMaxTokensOrStream() {
        upstream.stubFor(post(PATH + "/count_tokens")
                .willReturn(aResponse()
                        .withHeader("content-type", "application/json")
                        .withBody("{\"input_tokens\":1234}")));

        TokenCount count = client.countTokens(TestDeployments.kimi(upstream.baseUrl()), request);

        assertEquals(new TokenCount.Counted(1234), count);
        upstream.verify(postRequestedFor(urlEqualTo(PATH + "/count_tokens"))
                .withHeader("x-api-key", equalTo(TestDeployments.KEY))
                .withHeader("anthropic-version", equalTo("2026-10-21"))
                .withHeader("x-tenant", equalTo("t-42"))
                .withRequestBody(matchingJsonPath("$.model", equalTo("kimi-k2.5")))
                .withRequestBody(notContaining("max_tokens"))
                .withRequestBody(notContaining("\"stream\"")));
    }

    @Test
    void countTokens_onAHostWithoutTheEndpoint_isUnsupported_andOtherRefusalsAreFailures() {
        upstream.stubFor(post(PATH + "/count_tokens").willReturn(aResponse().withStatus(404)));
        assertEquals(
                new TokenCount.Unsupported(), client.countTokens(TestDeployments.kimi(upstream.baseUrl()), request));

        upstream.stubFor(post(PATH + "/count_tokens")
                .willReturn(aResponse().withStatus(429).withBody(UpstreamFixtures.UNAUTHORIZED)));
        assertInstanceOf(
                ProviderFailure.RateLimited.class,
                assertInstanceOf(
                                TokenCount.Failed.class,
                                client.countTokens(TestDeployments.kimi(upstream.baseUrl()), request))
                        .failure());
    }

    @Test
    void withoutClientVersion_theDefaultVersionIsSent_andNoBetaHeader() {
        upstream.stubFor(post(PATH).willReturn(aResponse().withBody(UpstreamFixtures.MESSAGE)));

        client.send(
                TestDeployments.kimi(upstream.baseUrl()),
                new ProviderRequest(TestMessages.hello(false), ProtocolHeaders.defaults()));

        upstream.verify(postRequestedFor(urlEqualTo(PATH))
                .withHeader("anthropic-version", equalTo("2023-06-01"))
                .withHeader("anthropic-beta", absent()));
    }

    @Test
    void anUpstreamError_isClassifiedWithItsStatusAndBody() {
        upstream.stubFor(post(PATH).willReturn(aResponse().withStatus(401).withBody(UpstreamFixtures.UNAUTHORIZED)));

        ProviderReply reply = client.send(TestDeployments.kimi(upstream.baseUrl()), request);

        ProviderFailure.Unauthorized failure = assertInstanceOf(
                ProviderFailure.Unauthorized.class,
                assertInstanceOf(ProviderReply.Failed.class, reply).failure());
        assertEquals(new ErrorReply(401, UpstreamFixtures.UNAUTHORIZED), failure.reply());
    }

    @Test
    void retryAfterMilliseconds_andHttpDates_areUnderstoodToo() {
        InstantSource now = InstantSource.fixed(Instant.parse("2026-11-24T10:00:00Z"));
        assertEquals(
                Optional.of(Duration.ofMillis(1500)), RetryAfter.parse(Optional.of("1500"), Optional.of("9"), now));
        assertEquals(
                Optional.of(Duration.ofSeconds(30)),
                RetryAfter.parse(Optional.empty(), Optional.of("Tue, 24 Nov 2026 10:00:30 GMT"), now));
        assertEquals(Optional.empty(), RetryAfter.parse(Optional.empty(), Optional.of("soon"), now));
    }

    @Test
    void serverErrorsAndOverload_areRetriableFailures() {
        upstream.stubFor(
                post(PATH)
                        .willReturn(
                                aResponse()
                                        .withStatus(529)
                                        .withBody(
                                                "{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}")));

        ProviderFailure failure = assertInstanceOf(
                        ProviderReply.Failed.class, client.send(TestDeployments.kimi(upstream.baseUrl()), request))
                .failure();

        assertInstanceOf(ProviderFailure.Overloaded.class, failure);
        assertTrue(failure.retriable());
    }

    @Test
    void aRefusedConnection_isAConnectionFailure_thatNamesNoAddress() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }

        ProviderReply reply = client.send(TestDeployments.kimi("http://127.0.0.1:" + closedPort), request);

        ProviderFailure.ConnectionFailed failure = assertInstanceOf(
                ProviderFailure.ConnectionFailed.class,
                assertInstanceOf(ProviderReply.Failed.class, reply).failure());
        assertEquals("the connection was refused", failure.reason());
    }

    @Test
    void aHostThatDoesNotResolve_isAConnectionFailure_namingTheHostOnly() {
        // .invalid never resolves (RFC 2606); the lookup goes no further than this machine's resolver.
        ProviderReply reply =
                client.send(TestDeployments.kimi("http://api.keyline-test.invalid:8443/plan/anthropic"), request);

        ProviderFailure.ConnectionFailed failure = assertInstanceOf(
                ProviderFailure.ConnectionFailed.class,
                assertInstanceOf(ProviderReply.Failed.class, reply).failure());
        assertEquals("could not resolve api.keyline-test.invalid", failure.reason());
    }

    @Test
    void aSuccessThatIsNotAMessage_isAMalformedReply() {
        upstream.stubFor(post(PATH).willReturn(aResponse().withBody("<html>maintenance</html>")));

        ProviderReply reply = client.send(TestDeployments.kimi(upstream.baseUrl()), request);

        assertInstanceOf(
                ProviderFailure.MalformedReply.class,
                assertInstanceOf(ProviderReply.Failed.class, reply).failure());
    }

    @Test
    void aStream_isReadEventByEvent_andEndsAtMessageStop() {
        upstream.stubFor(post(PATH)
                .willReturn(aResponse()
                        .withHeader("content-type", "text/event-stream")
                        .withBody(UpstreamFixtures.stream("Hello"))));

        List<String> types = new ArrayList<>();
        try (EventStream events = opened(client.stream(TestDeployments.kimi(upstream.baseUrl()), request))) {
            for (StreamStep step = events.next(); step instanceof StreamStep.Event e; step = events.next()) {
                types.add(e.event().type());
            }
        }

        assertEquals(
                List.of(
                        "message_start",
                        "content_block_start",
                        "ping",
                        "content_block_delta",
                        "content_block_stop",
                        "message_delta",
                        "message_stop"),
                types);
        upstream.verify(postRequestedFor(urlEqualTo(PATH))
                .withHeader("accept", equalTo("text/event-stream"))
                .withRequestBody(equalToJson("{\"stream\":true,\"model\":\"kimi-k2.5\"}", true, true)));
    }

    /** Every delta and the stop reason arrived; only message_stop was lost: the answer is whole, so it is finished. */
    @Test
    void aStreamMissingOnlyMessageStop_isFinished_notFailed() {
        String whole = UpstreamFixtures.stream("Hello");
        upstream.stubFor(post(PATH)
                .willReturn(aResponse()
                        .withHeader("content-type", "text/event-stream")
                        .withBody(whole.substring(0, whole.indexOf("event: message_stop")))));

        List<String> types = new ArrayList<>();
        StreamStep last;
        try (EventStream events = opened(client.stream(TestDeployments.kimi(upstream.baseUrl()), request))) {
            for (last = events.next(); last instanceof StreamStep.Event e; last = events.next()) {
                types.add(e.event().type());
            }
        }

        assertEquals("message_delta", types.get(types.size() - 2));
        assertEquals("message_stop", types.getLast());
        assertInstanceOf(StreamStep.End.class, last);
    }

    @Test
    void aStreamCutBeforeMessageStop_isBroken_notComplete() {
        upstream.stubFor(post(PATH)
                .willReturn(aResponse()
                        .withHeader("content-type", "text/event-stream")
                        .withBody(UpstreamFixtures.cutStream())));

        StreamStep last;
        try (EventStream events = opened(client.stream(TestDeployments.kimi(upstream.baseUrl()), request))) {
            do {
                last = events.next();
            } while (last instanceof StreamStep.Event);
        }

        assertInstanceOf(
                ProviderFailure.ConnectionFailed.class,
                assertInstanceOf(StreamStep.Broken.class, last).failure());
    }

    @Test
    void aStreamRefusedUpFront_isAFailureWithTheUpstreamsStatus() {
        upstream.stubFor(post(PATH).willReturn(aResponse().withStatus(401).withBody(UpstreamFixtures.UNAUTHORIZED)));

        ProviderStream stream = client.stream(TestDeployments.kimi(upstream.baseUrl()), request);

        assertInstanceOf(
                ProviderFailure.Unauthorized.class,
                assertInstanceOf(ProviderStream.Failed.class, stream).failure());
    }

    @Test
    void aStreamRequestAnsweredWithJson_isAMalformedReply() {
        upstream.stubFor(post(PATH)
                .willReturn(aResponse()
                        .withHeader("content-type", "application/json")
                        .withBody(UpstreamFixtures.MESSAGE)));

        ProviderStream stream = client.stream(TestDeployments.kimi(upstream.baseUrl()), request);

        assertInstanceOf(
                ProviderFailure.MalformedReply.class,
                assertInstanceOf(ProviderStream.Failed.class, stream).failure());
    }

    @Test
    void aStreamOpeningWithAnErrorEvent_isAFailure_classifiedByItsType() {
        upstream.stubFor(
                post(PATH)
                        .willReturn(
                                aResponse()
                                        .withHeader("content-type", "text/event-stream")
                                        .withBody(
                                                UpstreamFixtures.event(
                                                        "error",
                                                        "{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}"))));

        ProviderStream stream = client.stream(TestDeployments.kimi(upstream.baseUrl()), request);

        ProviderFailure.Overloaded overloaded = assertInstanceOf(
                ProviderFailure.Overloaded.class,
                assertInstanceOf(ProviderStream.Failed.class, stream).failure());
        assertEquals(529, overloaded.reply().status());
        assertTrue(overloaded.reply().body().contains("Overloaded"));
    }

    @Test
    void aStreamThatEndsBeforeItsFirstEvent_isAFailure() {
        upstream.stubFor(post(PATH)
                .willReturn(aResponse()
                        .withHeader("content-type", "text/event-stream")
                        .withBody("")));

        ProviderStream stream = client.stream(TestDeployments.kimi(upstream.baseUrl()), request);

        assertInstanceOf(
                ProviderFailure.ConnectionFailed.class,
                assertInstanceOf(ProviderStream.Failed.class, stream).failure());
    }

    private static EventStream opened(ProviderStream stream) {
        return assertInstanceOf(ProviderStream.Opened.class, stream).events();
    }
}
