package dev.keyline.adapters.providers.bedrock;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.notContaining;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.http.Request;
import com.github.tomakehurst.wiremock.matching.MatchResult;
import com.github.tomakehurst.wiremock.matching.RequestPatternBuilder;
import dev.keyline.adapters.providers.common.ProviderHttpClients;
import dev.keyline.adapters.wire.testing.UpstreamFixtures;
import dev.keyline.domain.deployment.AuthScheme;
import dev.keyline.domain.deployment.Credentials;
import dev.keyline.domain.deployment.Deployment;
import dev.keyline.domain.deployment.DeploymentId;
import dev.keyline.domain.deployment.Endpoint;
import dev.keyline.domain.deployment.ExtraHeaders;
import dev.keyline.domain.deployment.ModelGroupName;
import dev.keyline.domain.deployment.RoutingHints;
import dev.keyline.domain.failure.ProviderFailure;
import dev.keyline.domain.message.ProtocolHeaders;
import dev.keyline.ports.out.EventStream;
import dev.keyline.ports.out.ProviderClient;
import dev.keyline.ports.out.ProviderClientContract;
import dev.keyline.ports.out.ProviderReply;
import dev.keyline.ports.out.ProviderRequest;
import dev.keyline.ports.out.ProviderStream;
import dev.keyline.ports.out.StreamStep;
import dev.keyline.ports.out.TokenCount;
import dev.keyline.ports.out.UpstreamEvent;
import dev.keyline.ports.testing.AwsEventStreamFrames;
import dev.keyline.ports.testing.MutableClock;
import dev.keyline.ports.testing.SigV4Check;
import dev.keyline.ports.testing.TestMessages;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The provider-adapter contract for Bedrock (its key is the deployment's AWS secret, so "carries its key" means
 * "signed with it", checked by an independent SigV4 verifier), and what is Bedrock's own: the binary event stream,
 * its exception frames, damaged frames, and a signature made with another deployment's key.
 */
class BedrockProviderClientTest extends ProviderClientContract {

    private static final String KEY_ID = "AKIACONTRACTKEY00001";
    private static final String MODEL = "us.anthropic.claude-sonnet-4-5-20250929-v1:0";
    private static final String MODEL_SEGMENT = "us.anthropic.claude-sonnet-4-5-20250929-v1%3A0";

    private final ProviderClient client = new BedrockProtocol()
            .client(ProviderHttpClients.standard(), new ObjectMapper(), java.time.InstantSource.system());

    @Override
    protected ProviderClient adapter() {
        return client;
    }

    @Override
    protected String provider() {
        return "bedrock";
    }

    @Override
    protected String protocolPath() {
        return "/model/" + MODEL_SEGMENT + "/invoke";
    }

    @Override
    protected String streamPath() {
        return "/model/" + MODEL_SEGMENT + "/invoke-with-response-stream";
    }

    @Override
    protected String streamContentType() {
        return "application/vnd.amazon.eventstream";
    }

    @Override
    protected String answer(String text) {
        return UpstreamFixtures.MESSAGE.replace("Hello!", text);
    }

    @Override
    protected List<String> streamFrames(String text) {
        return Arrays.stream(UpstreamFixtures.stream(text).split("(?<=\n\n)")).toList();
    }

    /** Each SSE frame's data, as the Anthropic event a Bedrock chunk carries. */
    @Override
    protected List<byte[]> streamFrameBytes(String text) {
        return streamFrames(text).stream()
                .map(frame -> frame.lines()
                        .filter(line -> line.startsWith("data: "))
                        .findFirst()
                        .orElseThrow()
                        .substring(6))
                .map(AwsEventStreamFrames::chunk)
                .toList();
    }

    @Override
    protected Map<String, String> protocolHeaders(ProtocolHeaders client) {
        return Map.of(); // Bedrock takes the version and the betas in the body
    }

    @Override
    protected Deployment deployment(String base) {
        return signed(base, KEY_ID, KEY);
    }

    @Override
    protected Deployment keyDeployment(String base, AuthScheme scheme) {
        return new Deployment(
                new DeploymentId("bedrock-key"),
                new ModelGroupName("claude"),
                "bedrock",
                MODEL,
                Endpoint.parse(base),
                Credentials.of(KEY),
                scheme,
                new ExtraHeaders(Map.of("X-Tenant", "t-42")),
                Duration.ofSeconds(5),
                Duration.ofSeconds(5),
                RoutingHints.defaults());
    }

    @Override
    protected RequestPatternBuilder authenticated(RequestPatternBuilder call) {
        return call.andMatching(BedrockProviderClientTest::signedByTheDeployment)
                .withHeader("x-api-key", absent());
    }

    @Override
    protected RequestPatternBuilder namesItsModel(RequestPatternBuilder call, Deployment deployment) {
        // The model is in the path (the contract's URL); Bedrock refuses a body that names it again.
        return call.withRequestBody(notContaining("\"model\""))
                .withRequestBody(notContaining("\"stream\""))
                .withRequestBody(matchingJsonPath("$.anthropic_version", equalTo("bedrock-2023-05-31")))
                .withRequestBody(matchingJsonPath("$.anthropic_beta[0]", equalTo("web-search-2025-03-05")));
    }

    private static MatchResult signedByTheDeployment(Request request) {
        Optional<SigV4Check.Signed> signed = SigV4Check.verify(request, Map.of(KEY_ID, KEY));
        return MatchResult.of(
                signed.filter(s -> s.region().equals("us-east-1") && s.service().equals("bedrock"))
                        .isPresent());
    }

    private static Deployment signed(String base, String keyId, String secret) {
        return new Deployment(
                new DeploymentId("bedrock-" + keyId),
                new ModelGroupName("claude"),
                "bedrock",
                MODEL,
                Endpoint.parse(base),
                Credentials.of(secret),
                new AuthScheme.AwsSignature("bedrock", "us-east-1", keyId, Optional.empty(), Optional.empty()),
                new ExtraHeaders(Map.of("X-Tenant", "t-42")),
                Duration.ofSeconds(5),
                Duration.ofSeconds(5),
                RoutingHints.defaults());
    }

    private static ProviderRequest request(boolean stream) {
        return new ProviderRequest(
                TestMessages.hello(stream), new ProtocolHeaders(Optional.of("2023-06-01"), List.of()));
    }

    @Test
    void aCallSignedWithAnotherDeploymentsKey_doesNotVerify() {
        upstream.stubFor(post(urlEqualTo("/b" + protocolPath()))
                .andMatching(BedrockProviderClientTest::signedByTheDeployment)
                .willReturn(aResponse()
                        .withHeader("content-type", "application/json")
                        .withBody(answer("ok"))));

        ProviderReply own = client.send(signed(upstream.baseUrl() + "/b", KEY_ID, KEY), request(false));
        ProviderReply other =
                client.send(signed(upstream.baseUrl() + "/b", "AKIAOTHERDEPLOYMENT1", "other-secret"), request(false));
        ProviderReply stolenSecret =
                client.send(signed(upstream.baseUrl() + "/b", KEY_ID, "other-secret"), request(false));

        assertInstanceOf(ProviderReply.Completed.class, own);
        assertInstanceOf(ProviderReply.Failed.class, other);
        assertInstanceOf(ProviderReply.Failed.class, stolenSecret);
    }

    @Test
    void aSessionToken_travelsAsTheSecurityTokenHeader() {
        upstream.stubFor(post(urlEqualTo("/b" + protocolPath()))
                .willReturn(aResponse()
                        .withHeader("content-type", "application/json")
                        .withBody(answer("ok"))));
        Deployment temporary = new Deployment(
                new DeploymentId("bedrock-temporary"),
                new ModelGroupName("claude"),
                "bedrock",
                MODEL,
                Endpoint.parse(upstream.baseUrl() + "/b"),
                Credentials.of(KEY),
                new AuthScheme.AwsSignature(
                        "bedrock",
                        "eu-west-3",
                        "ASIATEMPORARY000001",
                        Optional.of(Credentials.of("tok3n")),
                        Optional.empty()),
                ExtraHeaders.none(),
                Duration.ofSeconds(5),
                Duration.ofSeconds(5),
                RoutingHints.defaults());

        assertInstanceOf(ProviderReply.Completed.class, client.send(temporary, request(false)));

        upstream.verify(postRequestedFor(urlEqualTo("/b" + protocolPath()))
                .withHeader("x-amz-security-token", equalTo("tok3n"))
                .withHeader(
                        "authorization",
                        com.github.tomakehurst.wiremock.client.WireMock.containing("/eu-west-3/bedrock/aws4_request")));
    }

    @Test
    void aThrottlingExceptionAsTheFirstFrame_isARateLimit_theRouterMayTakeElsewhere() {
        upstream.stubFor(post(urlEqualTo("/b" + streamPath()))
                .willReturn(aResponse()
                        .withHeader("content-type", streamContentType())
                        .withBody(AwsEventStreamFrames.exception("throttlingException", "Too many tokens"))));

        ProviderStream stream = client.stream(signed(upstream.baseUrl() + "/b", KEY_ID, KEY), request(true));

        ProviderFailure failure =
                assertInstanceOf(ProviderStream.Failed.class, stream).failure();
        assertInstanceOf(ProviderFailure.RateLimited.class, failure);
        assertTrue(failure.toString().contains("Too many tokens"), failure.toString());
    }

    @Test
    void aModelErrorMidStream_endsTheStreamWithAnAnthropicErrorEvent() {
        List<byte[]> frames = new ArrayList<>(streamFrameBytes("half an answer").subList(0, 3));
        frames.add(AwsEventStreamFrames.exception("modelStreamErrorException", "the model stopped"));
        upstream.stubFor(post(urlEqualTo("/b" + streamPath()))
                .willReturn(aResponse()
                        .withHeader("content-type", streamContentType())
                        .withBody(concat(frames))));

        List<String> types = new ArrayList<>();
        String error = "";
        try (EventStream events = assertInstanceOf(
                        ProviderStream.Opened.class,
                        client.stream(signed(upstream.baseUrl() + "/b", KEY_ID, KEY), request(true)))
                .events()) {
            StreamStep step = events.next();
            for (int i = 0; i < 100 && step instanceof StreamStep.Event(UpstreamEvent.Framed(var frame)); i++) {
                types.add(frame.type());
                error = frame.isError() ? frame.data() : error;
                step = events.next();
            }
        }

        assertEquals(4, types.size(), types.toString());
        assertEquals("message_start", types.getFirst());
        assertEquals("error", types.getLast());
        assertTrue(error.contains("\"type\":\"api_error\"") && error.contains("the model stopped"), error);
    }

    @Test
    void aDamagedFrame_breaksTheStream_neverReachingTheClientAsAnEvent() {
        byte[] damaged = AwsEventStreamFrames.chunk("{\"type\":\"ping\"}");
        damaged[damaged.length - 1] ^= 0x5a; // the message CRC no longer matches
        List<byte[]> frames = new ArrayList<>(streamFrameBytes("x").subList(0, 1));
        frames.add(damaged);
        upstream.stubFor(post(urlEqualTo("/b" + streamPath()))
                .willReturn(aResponse()
                        .withHeader("content-type", streamContentType())
                        .withBody(concat(frames))));

        try (EventStream events = assertInstanceOf(
                        ProviderStream.Opened.class,
                        client.stream(signed(upstream.baseUrl() + "/b", KEY_ID, KEY), request(true)))
                .events()) {
            assertInstanceOf(StreamStep.Event.class, events.next());
            StreamStep broken = events.next();
            assertInstanceOf(
                    ProviderFailure.MalformedReply.class,
                    assertInstanceOf(StreamStep.Broken.class, broken).failure());
        }
    }

    @Test
    void aJsonError_becomesTheAnthropicShape_withBedrocksExceptionName_andNoSecret() {
        upstream.stubFor(post(urlEqualTo("/b" + protocolPath()))
                .willReturn(aResponse()
                        .withStatus(400)
                        .withHeader("content-type", "application/json")
                        .withHeader("x-amzn-ErrorType", "ValidationException:http://internal.amazon.com/coral/")
                        .withBody("{\"message\":\"max_tokens: too large for " + KEY + "\"}")));

        ProviderFailure failure = assertInstanceOf(
                        ProviderReply.Failed.class,
                        client.send(signed(upstream.baseUrl() + "/b", KEY_ID, KEY), request(false)))
                .failure();

        ProviderFailure.InvalidRequest invalid = assertInstanceOf(ProviderFailure.InvalidRequest.class, failure);
        assertTrue(
                invalid.reply().body().startsWith("{\"type\":\"error\",\"error\":{\"type\":\"invalid_request_error\""));
        assertTrue(invalid.reply().body().contains("Bedrock ValidationException: max_tokens: too large"));
        assertFalse(invalid.reply().body().contains(KEY));
    }

    @Test
    void countTokens_sendsTheInvokeBodyToCountTokens_signed() {
        upstream.stubFor(post(urlEqualTo("/b/model/" + MODEL_SEGMENT + "/count-tokens"))
                .andMatching(BedrockProviderClientTest::signedByTheDeployment)
                .willReturn(aResponse()
                        .withHeader("content-type", "application/json")
                        .withBody("{\"inputTokens\":9}")));

        TokenCount count = client.countTokens(signed(upstream.baseUrl() + "/b", KEY_ID, KEY), request(false));

        assertEquals(new TokenCount.Counted(9), count);
    }

    @Test
    void aModelWithoutCountTokens_isEstimatedByTheGateway_notFailed() {
        upstream.stubFor(post(urlEqualTo("/n/model/" + MODEL_SEGMENT + "/count-tokens"))
                .willReturn(aResponse()
                        .withStatus(400)
                        .withHeader("x-amzn-ErrorType", "ValidationException:http://internal.amazon.com/")
                        .withBody("{\"message\":\"The provided model doesn't support counting tokens.\"}")));

        TokenCount count = client.countTokens(signed(upstream.baseUrl() + "/n", KEY_ID, KEY), request(false));

        assertEquals(new TokenCount.Unsupported(), count);
    }

    @Test
    void anAssumedRole_isAssumedWithTheDeploymentsOwnKeys_keptWhileFresh_andRenewedBeforeItExpires() {
        MutableClock clock = new MutableClock(Instant.parse("2026-12-05T10:00:00Z"));
        ProviderClient roleClient =
                new BedrockProtocol().client(ProviderHttpClients.standard(), new ObjectMapper(), clock);
        upstream.stubFor(post(urlEqualTo("/sts"))
                .andMatching(request -> MatchResult.of(SigV4Check.verify(request, Map.of(KEY_ID, KEY))
                        .filter(s -> s.service().equals("sts"))
                        .isPresent()))
                .willReturn(aResponse()
                        .withHeader("content-type", "text/xml")
                        .withBody("<AssumeRoleResponse><AssumeRoleResult><Credentials><AccessKeyId>ASIAROLEKEY000000001"
                                + "</AccessKeyId><SecretAccessKey>role-secret</SecretAccessKey><SessionToken>role-token"
                                + "</SessionToken><Expiration>2026-12-05T10:10:00Z</Expiration></Credentials>"
                                + "</AssumeRoleResult></AssumeRoleResponse>")));
        upstream.stubFor(post(urlEqualTo("/r" + protocolPath()))
                .andMatching(request ->
                        MatchResult.of(SigV4Check.verify(request, Map.of("ASIAROLEKEY000000001", "role-secret"))
                                .isPresent()))
                .withHeader("x-amz-security-token", equalTo("role-token"))
                .willReturn(aResponse()
                        .withHeader("content-type", "application/json")
                        .withBody(answer("ok"))));
        Deployment role = new Deployment(
                new DeploymentId("bedrock-role"),
                new ModelGroupName("claude"),
                "bedrock",
                MODEL,
                Endpoint.parse(upstream.baseUrl() + "/r"),
                Credentials.of(KEY),
                new AuthScheme.AwsSignature(
                        "bedrock",
                        "us-east-1",
                        KEY_ID,
                        Optional.empty(),
                        Optional.of(new AuthScheme.AwsRole(
                                "arn:aws:iam::123456789012:role/r",
                                "keyline",
                                URI.create(upstream.baseUrl() + "/sts")))),
                ExtraHeaders.none(),
                Duration.ofSeconds(5),
                Duration.ofSeconds(5),
                RoutingHints.defaults());

        ProviderReply first = roleClient.send(role, request(false));
        assertInstanceOf(ProviderReply.Completed.class, first, first.toString());
        clock.advance(Duration.ofMinutes(4));
        assertInstanceOf(ProviderReply.Completed.class, roleClient.send(role, request(false)));
        upstream.verify(1, postRequestedFor(urlEqualTo("/sts")));
        clock.advance(Duration.ofMinutes(2)); // 4 minutes left: inside the renewal margin
        assertInstanceOf(ProviderReply.Completed.class, roleClient.send(role, request(false)));
        upstream.verify(2, postRequestedFor(urlEqualTo("/sts")));
    }

    private static byte[] concat(List<byte[]> frames) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        frames.forEach(all::writeBytes);
        return all.toByteArray();
    }
}
