package dev.keyline.ports.out;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.matching.RequestPatternBuilder;
import com.sun.net.httpserver.HttpServer;
import dev.keyline.domain.deployment.AuthScheme;
import dev.keyline.domain.deployment.Credentials;
import dev.keyline.domain.deployment.Deployment;
import dev.keyline.domain.failure.ProviderFailure;
import dev.keyline.domain.message.ContentBlock;
import dev.keyline.domain.message.Message;
import dev.keyline.domain.message.MessagesRequest;
import dev.keyline.domain.message.ProtocolHeaders;
import dev.keyline.domain.message.RawJson;
import dev.keyline.domain.message.Role;
import dev.keyline.domain.testing.TestDeployments;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The contract every provider adapter passes, whatever protocol it speaks: a call goes to its deployment's origin
 * and base path, carries that deployment's key in its auth scheme, its extra headers and its provider model name,
 * and nothing of the client's credentials; redirects are refused; a key echoed in an upstream error never comes
 * back; failures are classified; a stream is relayed event by event. Extend it with the adapter and the few bodies
 * of its protocol ({@code docs/extending.md}).
 */
public abstract class ProviderClientContract {

    /** The deployment's key; it must reach its own upstream and nothing else. */
    protected static final String KEY = TestDeployments.KEY;

    private static final String BASE_PATH = "/tenant-7/base";

    /** The deployment's upstream; adapter tests may stub it for checks of their own protocol. */
    @RegisterExtension
    protected static WireMockExtension upstream = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"))
            .build();

    /** Another origin, that no key may reach. */
    @RegisterExtension
    protected static WireMockExtension elsewhere = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"))
            .build();

    /** @return the adapter under test, built as the gateway builds it (redirects off) */
    protected abstract ProviderClient adapter();

    /** @return the provider name its deployments are configured with, e.g. {@code anthropic} */
    protected abstract String provider();

    /** @return the path the adapter's protocol appends to a base, e.g. {@code /v1/messages} */
    protected abstract String protocolPath();

    /** @return a complete, successful non-streamed answer in the protocol, whose text is {@code text} */
    protected abstract String answer(String text);

    /** @return a complete streamed answer in the protocol, as SSE frames, one element per frame */
    protected abstract List<String> streamFrames(String text);

    /** @return the headers the adapter must send for these client protocol headers (empty when it sends none) */
    protected abstract Map<String, String> protocolHeaders(ProtocolHeaders client);

    /** @return the path a stream request goes to under the base, when the protocol has one of its own */
    protected String streamPath() {
        return protocolPath();
    }

    /** @return whether {@link #deployment}'s secret is {@link #KEY} and travels as it is (a key, not a signing key) */
    protected boolean presentsKey() {
        return true;
    }

    /** @return the content type of a stream answer in the protocol */
    protected String streamContentType() {
        return "text/event-stream";
    }

    /** @return the frames of {@link #streamFrames} as the bytes the upstream writes, one element per frame */
    protected List<byte[]> streamFrameBytes(String text) {
        return streamFrames(text).stream()
                .map(frame -> frame.getBytes(StandardCharsets.UTF_8))
                .toList();
    }

    /**
     * A deployment at this base that authenticates the adapter's own way: its key in its header for key protocols
     * (the default, {@code x-api-key}), a signature or a minted token for clouds. Its key, or secret, is
     * {@link #KEY}, and it has the extra header {@code x-tenant: t-42}.
     *
     * @param base the deployment's base: an origin and a base path
     */
    protected Deployment deployment(String base) {
        return keyDeployment(base, AuthScheme.X_API_KEY);
    }

    /** @return a deployment at this base presenting {@link #KEY} in this key header */
    protected Deployment keyDeployment(String base, AuthScheme scheme) {
        return TestDeployments.withProvider(TestDeployments.at(base, scheme, Duration.ofSeconds(5)), provider());
    }

    /**
     * Requires of a call that it carry {@link #deployment}'s credentials and no other: by default its key as
     * {@code x-api-key} and no {@code authorization}.
     */
    protected RequestPatternBuilder authenticated(RequestPatternBuilder call) {
        return call.withHeader("x-api-key", equalTo(KEY)).withHeader("authorization", absent());
    }

    /** Requires of a call that it name the deployment's provider model: by default as the body's {@code model}. */
    protected RequestPatternBuilder namesItsModel(RequestPatternBuilder call, Deployment deployment) {
        return call.withRequestBody(matchingJsonPath("$.model", equalTo(deployment.providerModel())));
    }

    /** @return the time source the adapter reads deadlines against; the system's unless the adapter is given another */
    protected InstantSource clock() {
        return InstantSource.system();
    }

    /** @return the text of the answer an adapter read back, so the contract can check it came through whole */
    protected static String text(ProviderReply reply) {
        ProviderReply.Completed completed = assertInstanceOf(ProviderReply.Completed.class, reply);
        return completed.response().content().stream()
                .filter(ContentBlock.Text.class::isInstance)
                .map(b -> ((ContentBlock.Text) b).text())
                .reduce("", String::concat);
    }

    private static final ProtocolHeaders CLIENT_HEADERS =
            new ProtocolHeaders(Optional.of("2023-06-01"), List.of("web-search-2025-03-05"));

    @Test
    void aCall_goesToItsDeploymentsBasePath_withItsKeyHeadersAndProviderModel() {
        upstream.stubFor(json(post(BASE_PATH + protocolPath()), answer("Hello from the upstream")));

        Deployment deployment = deployment(upstream.baseUrl() + BASE_PATH);

        ProviderReply reply = adapter().send(deployment, request(false));

        assertEquals("Hello from the upstream", text(reply));
        RequestPatternBuilder sent = namesItsModel(
                authenticated(postRequestedFor(urlEqualTo(BASE_PATH + protocolPath())))
                        .withHeader("x-tenant", equalTo("t-42")),
                deployment);
        protocolHeaders(CLIENT_HEADERS).forEach((name, value) -> sent.withHeader(name, equalTo(value)));
        upstream.verify(1, sent);
    }

    /** A provider request carries no client credential at all; the only key sent is the deployment's own. */
    @Test
    void aBearerDeployment_presentsItsKeyAsBearer_only() {
        upstream.stubFor(json(post(BASE_PATH + protocolPath()), answer("ok")));

        adapter().send(keyDeployment(upstream.baseUrl() + BASE_PATH, AuthScheme.BEARER), request(false));

        upstream.verify(
                1,
                postRequestedFor(urlEqualTo(BASE_PATH + protocolPath()))
                        .withHeader("authorization", equalTo("Bearer " + KEY))
                        .withHeader("x-api-key", absent()));
    }

    @Test
    void aDeploymentWithoutKey_sendsNoCredentialAtAll() {
        upstream.stubFor(json(post(BASE_PATH + protocolPath()), answer("ok")));
        Deployment keyless = TestDeployments.withCredentials(
                keyDeployment(upstream.baseUrl() + BASE_PATH, AuthScheme.BEARER), Credentials.none());

        adapter().send(keyless, request(false));

        upstream.verify(
                1,
                postRequestedFor(urlEqualTo(BASE_PATH + protocolPath()))
                        .withHeader("authorization", absent())
                        .withHeader("x-api-key", absent()));
    }

    @Test
    void aRedirect_isRefused_andTheKeyNeverReachesTheOtherOrigin() {
        for (String path : List.of(protocolPath(), streamPath())) {
            upstream.stubFor(post(BASE_PATH + path)
                    .willReturn(aResponse()
                            .withStatus(307)
                            .withHeader("location", elsewhere.baseUrl() + BASE_PATH + path)));
        }
        elsewhere.stubFor(json(post(anyUrl()), answer("stolen")));

        ProviderReply reply = adapter().send(deployment(upstream.baseUrl() + BASE_PATH), request(false));
        ProviderStream stream = adapter().stream(deployment(upstream.baseUrl() + BASE_PATH), request(true));

        assertInstanceOf(ProviderReply.Failed.class, reply);
        assertInstanceOf(ProviderStream.Failed.class, stream);
        elsewhere.verify(0, anyRequestedFor(anyUrl()));
    }

    @Test
    void aKeyEchoedInAnUpstreamError_isMasked() {
        Assumptions.assumeTrue(presentsKey(), "the deployment's secret never travels; see the bearer-token clause");
        upstream.stubFor(post(BASE_PATH + protocolPath())
                .willReturn(aResponse()
                        .withStatus(401)
                        .withHeader("content-type", "application/json")
                        .withBody("{\"error\":{\"message\":\"the key " + KEY + " is not valid\"}}")));

        ProviderFailure failure = failureOf(adapter().send(deployment(upstream.baseUrl() + BASE_PATH), request(false)));

        assertInstanceOf(ProviderFailure.Unauthorized.class, failure);
        assertFalse(failure.toString().contains(KEY), failure.toString());
    }

    /** An upstream that echoes the bearer token it was sent (a minted token, say) must not see it reach anyone. */
    @Test
    void aBearerTokenEchoedInAnUpstreamError_isMasked() {
        upstream.stubFor(post(BASE_PATH + protocolPath())
                .willReturn(aResponse()
                        .withStatus(401)
                        .withHeader("content-type", "application/json")
                        .withBody("{\"error\":{\"message\":\"not valid: {{request.headers.authorization}}\"}}")
                        .withTransformers("response-template")));

        ProviderFailure failure = failureOf(adapter().send(deployment(upstream.baseUrl() + BASE_PATH), request(false)));

        assertInstanceOf(ProviderFailure.Unauthorized.class, failure);
        String sent = upstream.getAllServeEvents().getFirst().getRequest().getHeader("authorization");
        if (sent != null && sent.startsWith("Bearer ")) {
            assertTrue(sent.length() > "Bearer ".length() + 3);
            assertFalse(failure.toString().contains(sent.substring("Bearer ".length())), failure.toString());
        }
    }

    @Test
    void upstreamStatuses_areClassified() {
        record Case(int status, Class<? extends ProviderFailure> expected) {}
        for (Case c : List.of(
                new Case(400, ProviderFailure.InvalidRequest.class),
                new Case(401, ProviderFailure.Unauthorized.class),
                new Case(403, ProviderFailure.PermissionDenied.class),
                new Case(404, ProviderFailure.NotFound.class),
                new Case(429, ProviderFailure.RateLimited.class),
                new Case(500, ProviderFailure.ServerError.class),
                new Case(529, ProviderFailure.Overloaded.class))) {
            upstream.resetAll();
            upstream.stubFor(post(BASE_PATH + protocolPath())
                    .willReturn(aResponse()
                            .withStatus(c.status())
                            .withHeader("content-type", "application/json")
                            .withBody("{\"error\":{\"message\":\"no\"}}")));

            ProviderFailure failure =
                    failureOf(adapter().send(deployment(upstream.baseUrl() + BASE_PATH), request(false)));

            assertInstanceOf(c.expected(), failure, "status " + c.status());
        }
    }

    @Test
    void aRateLimit_keepsTheWaitTheUpstreamAskedFor() {
        upstream.stubFor(post(BASE_PATH + protocolPath())
                .willReturn(aResponse()
                        .withStatus(429)
                        .withHeader("retry-after", "7")
                        .withBody("{}")));

        ProviderFailure failure = failureOf(adapter().send(deployment(upstream.baseUrl() + BASE_PATH), request(false)));

        assertEquals(
                Optional.of(Duration.ofSeconds(7)),
                assertInstanceOf(ProviderFailure.RateLimited.class, failure).retryAfter());
    }

    @Test
    void anUpstreamSlowerThanTheDeploymentsTimeout_isATimeout() {
        upstream.stubFor(post(BASE_PATH + protocolPath())
                .willReturn(okJson(answer("late")).withFixedDelay(1_500)));
        Deployment impatient =
                TestDeployments.withTimeout(deployment(upstream.baseUrl() + BASE_PATH), Duration.ofMillis(300));

        ProviderFailure failure = failureOf(adapter().send(impatient, request(false)));

        assertInstanceOf(ProviderFailure.Timeout.class, failure);
    }

    @Test
    void aStreamWhoseFirstEventComesAfterItsStreamTimeout_isATimeout_atTheStreamTimeout() throws Exception {
        upstream.stubFor(post(BASE_PATH + streamPath())
                .willReturn(aResponse()
                        .withHeader("content-type", streamContentType())
                        .withBody(concat(streamFrameBytes("late")))
                        .withFixedDelay(3_000)));
        Deployment deployment =
                TestDeployments.withStreamTimeout(deployment(upstream.baseUrl() + BASE_PATH), Duration.ofMillis(300));
        AtomicReference<ProviderStream> result = new AtomicReference<>();

        // Keyline serves every request on a virtual thread; the first-byte limit relies on it.
        long started = System.nanoTime();
        Thread.ofVirtual()
                .start(() -> result.set(adapter().stream(deployment, request(true))))
                .join();
        long tookMs = (System.nanoTime() - started) / 1_000_000;

        assertInstanceOf(
                ProviderFailure.Timeout.class,
                assertInstanceOf(ProviderStream.Failed.class, result.get()).failure());
        assertTrue(tookMs < 2_500, "left at the stream timeout, not at the first byte: " + tookMs + " ms");
    }

    @Test
    void theRequestsDeadline_bindsWhenItIsSoonerThanTheTimeout_andAPassedOneMakesNoCall() {
        upstream.stubFor(post(BASE_PATH + protocolPath())
                .willReturn(okJson(answer("late")).withFixedDelay(1_500)));
        Deployment patient = deployment(upstream.baseUrl() + BASE_PATH);

        ProviderFailure soon = failureOf(adapter()
                .send(patient, request(false).answeringBy(clock().instant().plusMillis(300))));
        assertInstanceOf(ProviderFailure.Timeout.class, soon);

        int callsBefore = upstream.getAllServeEvents().size();
        ProviderFailure passed = failureOf(adapter()
                .send(patient, request(false).answeringBy(clock().instant().minusSeconds(1))));
        assertInstanceOf(ProviderFailure.Timeout.class, passed);
        assertEquals(callsBefore, upstream.getAllServeEvents().size(), "no call after the deadline");
    }

    @Test
    void aResetConnection_isAConnectionFailure() {
        upstream.stubFor(
                post(BASE_PATH + protocolPath()).willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));

        ProviderFailure failure = failureOf(adapter().send(deployment(upstream.baseUrl() + BASE_PATH), request(false)));

        assertInstanceOf(ProviderFailure.ConnectionFailed.class, failure);
        assertFalse(failure.toString().contains(KEY));
    }

    @Test
    void aStreamRefusedWithAStatus_isAClassifiedFailure_beforeAnyEvent() {
        upstream.stubFor(post(BASE_PATH + streamPath())
                .willReturn(aResponse()
                        .withStatus(503)
                        .withHeader("content-type", "application/json")
                        .withBody("{\"error\":{\"message\":\"down\"}}")));

        ProviderStream stream = adapter().stream(deployment(upstream.baseUrl() + BASE_PATH), request(true));

        assertInstanceOf(
                ProviderFailure.ServerError.class,
                assertInstanceOf(ProviderStream.Failed.class, stream).failure());
    }

    /**
     * The upstream sends its first frame, then waits until the test has read an event from the adapter before it
     * sends the rest: an adapter that buffered the stream would leave the upstream waiting until its gate timed out.
     */
    @Test
    void aStream_isRelayedEventByEvent_theFirstBeforeTheUpstreamsLast() throws Exception {
        List<byte[]> frames = streamFrameBytes("Hello, streamed");
        CountDownLatch firstEventRead = new CountDownLatch(1);
        AtomicBoolean gateTimedOut = new AtomicBoolean();
        HttpServer gated = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        gated.createContext(BASE_PATH + rawPath(streamPath()), exchange -> {
            exchange.getResponseHeaders().add("content-type", streamContentType());
            exchange.sendResponseHeaders(200, 0);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(frames.getFirst());
                out.flush();
                if (!firstEventRead.await(5, TimeUnit.SECONDS)) {
                    gateTimedOut.set(true);
                }
                for (byte[] frame : frames.subList(1, frames.size())) {
                    out.write(frame);
                    out.flush();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        gated.start();
        try {
            Deployment deployment =
                    deployment("http://127.0.0.1:" + gated.getAddress().getPort() + BASE_PATH);
            ProviderStream stream = adapter().stream(deployment, request(true));
            List<String> types = new ArrayList<>();
            try (EventStream events =
                    assertInstanceOf(ProviderStream.Opened.class, stream).events()) {
                StreamStep first = events.next();
                types.add(
                        assertInstanceOf(StreamStep.Event.class, first).event().type());
                firstEventRead.countDown();
                StreamStep step = events.next();
                for (int i = 0; i < 10_000 && step instanceof StreamStep.Event event; i++) {
                    types.add(event.event().type());
                    step = events.next();
                }
                assertInstanceOf(StreamStep.End.class, step);
            }
            assertFalse(gateTimedOut.get(), "the first event reached the caller only after the whole stream");
            assertEquals("message_start", types.getFirst());
            assertTrue(types.contains("content_block_delta"), types.toString());
            assertEquals("message_stop", types.getLast());
        } finally {
            gated.stop(0);
        }
    }

    private static MappingBuilder json(MappingBuilder request, String body) {
        return request.willReturn(okJson(body));
    }

    private static ResponseDefinitionBuilder okJson(String body) {
        return aResponse().withHeader("content-type", "application/json").withBody(body);
    }

    private static ProviderFailure failureOf(ProviderReply reply) {
        return assertInstanceOf(ProviderReply.Failed.class, reply).failure();
    }

    private static byte[] concat(List<byte[]> frames) {
        java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
        frames.forEach(all::writeBytes);
        return all.toByteArray();
    }

    /** The JDK server's contexts take decoded paths; a path segment encoded on the wire is given decoded. */
    private static String rawPath(String path) {
        return java.net.URLDecoder.decode(path.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    private static ProviderRequest request(boolean stream) {
        return new ProviderRequest(
                new MessagesRequest(
                        "client-facing-name",
                        64,
                        List.of(Message.of(Role.USER, List.of(ContentBlock.Text.of("hello")))),
                        List.of(),
                        Optional.empty(),
                        stream,
                        RawJson.empty()),
                CLIENT_HEADERS);
    }
}
