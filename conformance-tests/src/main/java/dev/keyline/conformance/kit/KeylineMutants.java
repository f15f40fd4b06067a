package dev.keyline.conformance.kit;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keyline.adapters.providers.anthropic.AnthropicProviderClient;
import dev.keyline.adapters.providers.common.ProviderHttpClients;
import dev.keyline.adapters.providers.openai.OpenAiProviderClient;
import dev.keyline.adapters.wire.JacksonMessageEventCodec;
import dev.keyline.app.config.GatewayConfig;
import dev.keyline.domain.deployment.AuthScheme;
import dev.keyline.domain.deployment.Credentials;
import dev.keyline.domain.deployment.Deployment;
import dev.keyline.domain.deployment.Endpoint;
import dev.keyline.domain.deployment.ExtraHeaders;
import dev.keyline.domain.failure.ProviderFailure;
import dev.keyline.domain.message.ContentBlock;
import dev.keyline.domain.message.Message;
import dev.keyline.domain.message.MessageResponse;
import dev.keyline.domain.message.MessagesRequest;
import dev.keyline.domain.message.ProtocolHeaders;
import dev.keyline.domain.message.RawJson;
import dev.keyline.domain.message.StreamEvent;
import dev.keyline.domain.message.Usage;
import dev.keyline.ports.out.EventStream;
import dev.keyline.ports.out.ProviderClient;
import dev.keyline.ports.out.ProviderReply;
import dev.keyline.ports.out.ProviderRequest;
import dev.keyline.ports.out.ProviderStream;
import dev.keyline.ports.out.StreamStep;
import dev.keyline.ports.out.TokenCount;
import dev.keyline.ports.out.UpstreamHeaders;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * Keyline with one defect each, every one the kind of mistake real gateways have made, and the property that must
 * catch it: the kit's proof that it can fail. {@code keyline conformance --self-test} runs them for anyone about to
 * trust the kit's verdict on another gateway, and the test suite runs them on every build.
 */
final class KeylineMutants {

    private static final JacksonMessageEventCodec EVENTS = new JacksonMessageEventCodec(new ObjectMapper());

    /**
     * @param property the id of the property that must fail on this mutant
     * @param defect   what the mutant does wrong, in words
     * @param decorate wraps Keyline's provider adapter with the defect
     */
    record Mutant(String property, String defect, UnaryOperator<ProviderClient> decorate) {}

    private final FakeUpstreams fakes;
    private final GatewayConfig config;

    /** @param config Keyline's configuration for {@code fakes} */
    KeylineMutants(FakeUpstreams fakes, GatewayConfig config) {
        this.fakes = fakes;
        this.config = config;
    }

    /** @return every mutant; each property has at least one */
    List<Mutant> all() {
        return List.of(
                followUpsRoutedToAnotherDeployment_failLoopHopBinding(),
                followUpsSentToTheEnvironmentsAnthropic_failNoEnvFallback(),
                oneFollowUpCarryingTheEnvironmentsKey_toTheRightDeployment_failsNoEnvFallback(),
                jsonFollowUpsSentToTheEnvironmentsBaseUrl_failLoopHopBinding(),
                aKeySentToTheWrongDeployment_failsHopCredentials(),
                everyKeyAsXApiKey_failsHopCredentials(),
                aRetryWithTheFailedDeploymentsKey_failsFallbackCredentials(),
                searchHistorySentUpstreamAsServerBlocks_failsHistoryReplay(),
                aGatewayThatSendsEveryCallTwice_failsLoopBounded(),
                answersWithAnUnknownStopReason_failNativeShape(),
                followUpsThatDropHeaders_failHeaderPropagation(),
                answersThatReportOnlyTheLastHopsUsage_failUsageSum(),
                streamsThatSayOtherThanTheJsonAnswer_failStreamEquivalence(),
                upstreamErrorsTurnedIntoGatewayFailures_failErrorShape(),
                aFailedFollowUpAnsweredAsASuccess_failsLoopFaultEnding(),
                aGatewayThatRestsALoneDeployment_failsNoCooldownCascade(),
                aGatewayThatRestsALoneDeploymentOn401_failsNoCooldownCascade(),
                chatFollowUpsSentWithTheAnthropicAdapter_failHopCredentials(),
                countsSentToTheEnvironmentsAnthropic_failCountTokensCredentials(),
                bedrockCallsSignedWithTheHostsAwsKey_failNoEnvFallback(),
                vertexCallsWithATokenFromGoogleApplicationCredentials_failNoEnvFallback(),
                brokenStreamsEndedAsAnswers_failStreamRescueHonest());
    }

    private Mutant bedrockCallsSignedWithTheHostsAwsKey_failNoEnvFallback() {
        // What an SDK default chain does when a deployment's own keys are not reached for: the host's identity.
        Map<String, String> env = fakes.environment();
        return new Mutant(
                KitProperty.NO_ENV_FALLBACK.id,
                "signs Bedrock calls with the host's AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (a default chain)",
                everyCall(
                        d -> d.authScheme() instanceof AuthScheme.AwsSignature aws
                                ? withAuth(
                                        d,
                                        Credentials.of(env.get("AWS_SECRET_ACCESS_KEY")),
                                        new AuthScheme.AwsSignature(
                                                aws.service(),
                                                aws.region(),
                                                env.get("AWS_ACCESS_KEY_ID"),
                                                Optional.empty(),
                                                Optional.empty()))
                                : d,
                        h -> h));
    }

    private Mutant vertexCallsWithATokenFromGoogleApplicationCredentials_failNoEnvFallback() {
        Credentials hosts;
        try {
            hosts = Credentials.of(
                    Files.readString(Path.of(fakes.environment().get("GOOGLE_APPLICATION_CREDENTIALS"))));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Mutant(
                KitProperty.NO_ENV_FALLBACK.id,
                "mints Vertex calls' tokens from GOOGLE_APPLICATION_CREDENTIALS (application-default credentials)",
                everyCall(
                        d -> d.authScheme() instanceof AuthScheme.MintedToken minted
                                ? withAuth(d, hosts, new AuthScheme.MintedToken("host", minted.tokenUri()))
                                : d,
                        h -> h));
    }

    private Mutant followUpsRoutedToAnotherDeployment_failLoopHopBinding() {
        return new Mutant(
                KitProperty.LOOP_HOP_BINDING.id,
                "sends a search loop's follow-ups to another deployment of the group",
                followUps(
                        d -> config.deployments().stream()
                                .filter(o -> o.group().equals(d.group()) && !o.id().equals(d.id()))
                                .findFirst()
                                .orElse(d),
                        h -> h));
    }

    private Mutant followUpsSentToTheEnvironmentsAnthropic_failNoEnvFallback() {
        // LiteLLM #26389: the follow-up lost api_base and key, and took ANTHROPIC_BASE_URL and ANTHROPIC_API_KEY.
        return new Mutant(
                KitProperty.NO_ENV_FALLBACK.id,
                "sends follow-ups to ANTHROPIC_BASE_URL with ANTHROPIC_API_KEY (LiteLLM #26389)",
                followUps(
                        d -> withEndpoint(
                                d,
                                Endpoint.parse(fakes.environment().get("ANTHROPIC_BASE_URL")),
                                Credentials.of(fakes.environment().get("ANTHROPIC_API_KEY"))),
                        h -> h));
    }

    private Mutant oneFollowUpCarryingTheEnvironmentsKey_toTheRightDeployment_failsNoEnvFallback() {
        AtomicBoolean sent = new AtomicBoolean();
        return new Mutant(
                KitProperty.NO_ENV_FALLBACK.id,
                "sends one follow-up with ANTHROPIC_API_KEY, to the right deployment",
                followUps(
                        // A key that travels as it is; a cloud's signing secret never shows in a request.
                        d -> d.authScheme() instanceof AuthScheme.KeyHeader && sent.compareAndSet(false, true)
                                ? withCredentials(d, Credentials.of(fakes.decoyKey))
                                : d,
                        h -> h));
    }

    private Mutant jsonFollowUpsSentToTheEnvironmentsBaseUrl_failLoopHopBinding() {
        Endpoint decoy = Endpoint.parse(fakes.environment().get("ANTHROPIC_BASE_URL"));
        return new Mutant(
                KitProperty.LOOP_HOP_BINDING.id,
                "sends JSON follow-ups to ANTHROPIC_BASE_URL with the deployment's key",
                provider -> new Decorator(provider, d -> d, h -> h, false) {
                    @Override
                    public ProviderReply send(Deployment deployment, ProviderRequest request) {
                        return super.send(isFollowUp(request) ? withEndpoint(deployment, decoy) : deployment, request);
                    }
                });
    }

    private Mutant aKeySentToTheWrongDeployment_failsHopCredentials() {
        return new Mutant(
                KitProperty.HOP_CREDENTIALS.id,
                "sends a key that is not the deployment's",
                provider -> new Decorator(
                        provider,
                        d -> withEndpoint(d, d.endpoint(), Credentials.of("sk-someone-elses-key")),
                        h -> h,
                        false));
    }

    private Mutant everyKeyAsXApiKey_failsHopCredentials() {
        return new Mutant(
                KitProperty.HOP_CREDENTIALS.id,
                "presents every key as x-api-key, whatever the deployment's auth scheme",
                provider -> new Decorator(
                        provider,
                        d -> new Deployment(
                                d.id(),
                                d.group(),
                                d.provider(),
                                d.providerModel(),
                                d.endpoint(),
                                d.credentials(),
                                AuthScheme.X_API_KEY,
                                d.extraHeaders(),
                                d.timeout(),
                                d.firstByteTimeout(),
                                d.routing()),
                        h -> h,
                        false));
    }

    private Mutant aRetryWithTheFailedDeploymentsKey_failsFallbackCredentials() {
        // One memory for every adapter the mutant wraps: a retry may go to a deployment of another protocol.
        AtomicReference<Deployment> lastFailed = new AtomicReference<>();
        return new Mutant(
                KitProperty.FALLBACK_CREDENTIALS.id,
                "retries on another deployment with the failed deployment's key",
                provider -> new Decorator(provider, d -> d, h -> h, false) {
                    @Override
                    public ProviderReply send(Deployment deployment, ProviderRequest request) {
                        ProviderReply reply = super.send(target(deployment), request);
                        if (reply instanceof ProviderReply.Failed) {
                            lastFailed.set(deployment);
                        }
                        return reply;
                    }

                    @Override
                    public ProviderStream stream(Deployment deployment, ProviderRequest request) {
                        ProviderStream stream = super.stream(target(deployment), request);
                        if (stream instanceof ProviderStream.Failed) {
                            lastFailed.set(deployment);
                        }
                        return stream;
                    }

                    /** The retry keeps the key of the deployment that just failed. */
                    private Deployment target(Deployment deployment) {
                        Deployment failed = lastFailed.getAndSet(null);
                        return failed == null || failed.equals(deployment)
                                ? deployment
                                : withEndpoint(deployment, deployment.endpoint(), failed.credentials());
                    }
                });
    }

    private Mutant searchHistorySentUpstreamAsServerBlocks_failsHistoryReplay() {
        return new Mutant(
                KitProperty.HISTORY_REPLAY.id,
                "sends search history upstream as server-tool blocks",
                provider -> new Decorator(provider, d -> d, h -> h, false) {
                    @Override
                    public ProviderReply send(Deployment deployment, ProviderRequest request) {
                        return super.send(deployment, unconverted(request));
                    }

                    @Override
                    public ProviderStream stream(Deployment deployment, ProviderRequest request) {
                        return super.stream(deployment, unconverted(request));
                    }
                });
    }

    private Mutant aGatewayThatSendsEveryCallTwice_failsLoopBounded() {
        return new Mutant(
                KitProperty.LOOP_BOUNDED.id,
                "sends every call twice",
                provider -> new Decorator(provider, d -> d, h -> h, false) {
                    @Override
                    public ProviderReply send(Deployment deployment, ProviderRequest request) {
                        super.send(deployment, request);
                        return super.send(deployment, request);
                    }
                });
    }

    private Mutant answersWithAnUnknownStopReason_failNativeShape() {
        return new Mutant(
                KitProperty.NATIVE_SHAPE.id,
                "answers with a stop_reason Anthropic never sends",
                rewritingAnswers(
                        request -> true,
                        r -> new MessageResponse(
                                r.id(),
                                r.model(),
                                r.content(),
                                r.stopReason().map(reason -> reason.equals("end_turn") ? "finished_somehow" : reason),
                                r.stopSequence(),
                                r.usage(),
                                r.extra())));
    }

    private Mutant chatFollowUpsSentWithTheAnthropicAdapter_failHopCredentials() {
        // LiteLLM's interception on hosted_vllm behind an alias: the follow-up left the deployment's protocol.
        ProviderClient anthropic =
                new AnthropicProviderClient(ProviderHttpClients.standard(), new ObjectMapper(), InstantSource.system());
        return new Mutant(
                KitProperty.HOP_CREDENTIALS.id,
                "sends an OpenAI-compatible deployment's follow-ups as Anthropic Messages, to {api_base}/v1/messages",
                provider -> provider instanceof OpenAiProviderClient
                        ? new Decorator(provider, d -> d, h -> h, false) {
                            @Override
                            public ProviderReply send(Deployment deployment, ProviderRequest request) {
                                return isFollowUp(request)
                                        ? anthropic.send(deployment, request)
                                        : super.send(deployment, request);
                            }

                            @Override
                            public ProviderStream stream(Deployment deployment, ProviderRequest request) {
                                return isFollowUp(request)
                                        ? anthropic.stream(deployment, request)
                                        : super.stream(deployment, request);
                            }
                        }
                        : provider);
    }

    private Mutant countsSentToTheEnvironmentsAnthropic_failCountTokensCredentials() {
        // LiteLLM: count_tokens goes to Anthropic's API whatever the deployment's api_base.
        Endpoint decoy = Endpoint.parse(fakes.environment().get("ANTHROPIC_BASE_URL"));
        Credentials decoyKey = Credentials.of(fakes.decoyKey);
        return new Mutant(
                CountTokensKit.ID,
                "counts tokens at ANTHROPIC_BASE_URL with ANTHROPIC_API_KEY, whatever the deployment's base",
                provider -> new Decorator(provider, d -> d, h -> h, false) {
                    @Override
                    public TokenCount countTokens(Deployment deployment, ProviderRequest request) {
                        return super.countTokens(withEndpoint(deployment, decoy, decoyKey), request);
                    }
                });
    }

    private Mutant followUpsThatDropHeaders_failHeaderPropagation() {
        return new Mutant(
                KitProperty.HEADER_PROPAGATION.id,
                "drops anthropic-* and extra headers on follow-ups",
                followUps(d -> withExtraHeaders(d, ExtraHeaders.none()), h -> ProtocolHeaders.defaults()));
    }

    private Mutant answersThatReportOnlyTheLastHopsUsage_failUsageSum() {
        return new Mutant(
                KitProperty.USAGE_SUM.id,
                "reports only the last hop's usage",
                rewritingAnswers(
                        request -> !Decorator.isFollowUp(request),
                        r -> new MessageResponse(
                                r.id(),
                                r.model(),
                                r.content(),
                                r.stopReason(),
                                r.stopSequence(),
                                Usage.zero(),
                                r.extra())));
    }

    /** A gateway that changes the JSON answers of the calls {@code which} picks before it uses them. */
    private static UnaryOperator<ProviderClient> rewritingAnswers(
            Predicate<ProviderRequest> which, UnaryOperator<MessageResponse> rewrite) {
        return provider -> new Decorator(provider, d -> d, h -> h, false) {
            @Override
            public ProviderReply send(Deployment deployment, ProviderRequest request) {
                ProviderReply reply = super.send(deployment, request);
                return reply instanceof ProviderReply.Completed done && which.test(request)
                        ? new ProviderReply.Completed(rewrite.apply(done.response()), done.headers())
                        : reply;
            }
        };
    }

    private Mutant streamsThatSayOtherThanTheJsonAnswer_failStreamEquivalence() {
        return new Mutant(
                KitProperty.STREAM_EQUIVALENCE.id,
                "streams text that differs from its JSON answer",
                provider -> new Decorator(provider, d -> d, h -> h, false) {
                    @Override
                    public ProviderStream stream(Deployment deployment, ProviderRequest request) {
                        ProviderStream stream = super.stream(deployment, request);
                        if (!(stream instanceof ProviderStream.Opened opened)) {
                            return stream;
                        }
                        return new ProviderStream.Opened(
                                new EventStream() {
                                    @Override
                                    public StreamStep next() {
                                        StreamStep step = opened.events().next();
                                        if (!(step instanceof StreamStep.Event event)) {
                                            return step;
                                        }
                                        // Framed whatever the adapter yielded (a chat upstream's events are typed).
                                        StreamEvent frame = EVENTS.framed(event.event());
                                        return frame.data().contains("text_delta")
                                                ? new StreamStep.Event(new StreamEvent(
                                                        frame.type(),
                                                        frame.data().replace("hop ", "hop~")))
                                                : step;
                                    }

                                    @Override
                                    public void close() {
                                        opened.events().close();
                                    }
                                },
                                opened.headers());
                    }
                });
    }

    private Mutant brokenStreamsEndedAsAnswers_failStreamRescueHonest() {
        // Portkey's way with a stream cut mid-answer: the client is told the answer ended, with half of it.
        return new Mutant(
                StreamRescueKit.ID,
                "ends a stream that broke mid-answer as if the answer were whole",
                provider -> new Decorator(provider, d -> d, h -> h, false) {
                    @Override
                    public ProviderStream stream(Deployment deployment, ProviderRequest request) {
                        ProviderStream stream = super.stream(deployment, request);
                        if (!(stream instanceof ProviderStream.Opened opened)) {
                            return stream;
                        }
                        return new ProviderStream.Opened(
                                new EventStream() {
                                    private final java.util.ArrayDeque<StreamStep> ending =
                                            new java.util.ArrayDeque<>();

                                    @Override
                                    public StreamStep next() {
                                        if (!ending.isEmpty()) {
                                            return ending.removeFirst();
                                        }
                                        StreamStep step = opened.events().next();
                                        boolean broke = step instanceof StreamStep.Broken
                                                || (step instanceof StreamStep.Event event
                                                        && event.event().type().equals("error"));
                                        if (!broke) {
                                            return step;
                                        }
                                        ending.add(new StreamStep.Event(new StreamEvent(
                                                "message_delta",
                                                "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\","
                                                        + "\"stop_sequence\":null},\"usage\":{\"output_tokens\":1}}")));
                                        ending.add(new StreamStep.Event(
                                                new StreamEvent("message_stop", "{\"type\":\"message_stop\"}")));
                                        ending.add(new StreamStep.End());
                                        return new StreamStep.Event(new StreamEvent(
                                                "content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}"));
                                    }

                                    @Override
                                    public void close() {
                                        opened.events().close();
                                    }
                                },
                                opened.headers());
                    }
                });
    }

    private Mutant upstreamErrorsTurnedIntoGatewayFailures_failErrorShape() {
        return new Mutant(
                ErrorKit.ErrorProperty.ERROR_SHAPE.id,
                "turns upstream errors into gateway failures (500)",
                provider -> new Decorator(provider, d -> d, h -> h, false) {
                    @Override
                    public ProviderReply send(Deployment deployment, ProviderRequest request) {
                        ProviderReply reply = super.send(deployment, request);
                        if (reply instanceof ProviderReply.Failed) {
                            throw new IllegalStateException("the gateway lost the upstream's error");
                        }
                        return reply;
                    }
                });
    }

    private Mutant aFailedFollowUpAnsweredAsASuccess_failsLoopFaultEnding() {
        // What a gateway does when it hands back the first hop's half answer instead of the follow-up's error.
        return new Mutant(
                LoopFaultKit.ID,
                "answers a failed follow-up with a made-up success",
                provider -> new Decorator(provider, d -> d, h -> h, true) {
                    @Override
                    public ProviderReply send(Deployment deployment, ProviderRequest request) {
                        ProviderReply reply = super.send(deployment, request);
                        return reply instanceof ProviderReply.Failed
                                ? new ProviderReply.Completed(
                                        new MessageResponse(
                                                "msg_made_up",
                                                "kit",
                                                List.of(ContentBlock.Text.of("Here is what I found so far.")),
                                                Optional.of("end_turn"),
                                                Optional.empty(),
                                                Usage.zero(),
                                                RawJson.empty()),
                                        UpstreamHeaders.none())
                                : reply;
                    }
                });
    }

    private Mutant aGatewayThatRestsALoneDeployment_failsNoCooldownCascade() {
        // The LiteLLM behaviour: one 401 and the only deployment answers "no deployments available" for a while.
        return new Mutant(
                ErrorKit.ErrorProperty.NO_COOLDOWN_CASCADE.id,
                "rests a lone deployment after any failure",
                restingAfter(failure -> true));
    }

    private Mutant aGatewayThatRestsALoneDeploymentOn401_failsNoCooldownCascade() {
        return new Mutant(
                ErrorKit.ErrorProperty.NO_COOLDOWN_CASCADE.id,
                "rests a lone deployment after a 401",
                restingAfter(failure -> failure instanceof ProviderFailure.Unauthorized));
    }

    /** A gateway that answers "no deployments available" for 5 s after a failure {@code rests} says to rest on. */
    private static UnaryOperator<ProviderClient> restingAfter(Predicate<ProviderFailure> rests) {
        return provider -> new Decorator(provider, d -> d, h -> h, false) {
            private volatile long restingUntil;

            @Override
            public ProviderReply send(Deployment deployment, ProviderRequest request) {
                if (System.nanoTime() < restingUntil) {
                    return new ProviderReply.Failed(ProviderFailure.fromHttpStatus(
                            429,
                            "{\"type\":\"error\",\"error\":"
                                    + "{\"type\":\"rate_limit_error\",\"message\":\"No deployments available\"}}",
                            Optional.empty()));
                }
                ProviderReply reply = super.send(deployment, request);
                if (reply instanceof ProviderReply.Failed failed && rests.test(failed.failure())) {
                    restingUntil = System.nanoTime() + 5_000_000_000L;
                }
                return reply;
            }
        };
    }

    /** The search turns of the history put back as server blocks, as a gateway that does not convert them would. */
    private static ProviderRequest unconverted(ProviderRequest request) {
        List<Message> messages = request.body().messages().stream()
                .map(message -> new Message(
                        message.role(),
                        message.content().stream()
                                .map(block -> block instanceof ContentBlock.ToolUse use
                                                && use.id().startsWith("srvtoolu_")
                                        ? (ContentBlock) new ContentBlock.ServerToolUse(
                                                use.id(), "web_search", use.input(), use.extra())
                                        : block)
                                .toList(),
                        message.extra()))
                .toList();
        var body = request.body();
        return new ProviderRequest(
                new MessagesRequest(
                        body.model(),
                        body.maxTokens(),
                        messages,
                        body.tools(),
                        body.toolChoice(),
                        body.stream(),
                        body.extra()),
                request.headers(),
                request.answerBy(),
                request.observer());
    }

    /** A gateway that calls every deployment {@code where} says, first hops and follow-ups alike. */
    private static UnaryOperator<ProviderClient> everyCall(
            UnaryOperator<Deployment> where, UnaryOperator<ProtocolHeaders> headers) {
        return provider -> new Decorator(provider, where, headers, false);
    }

    private static UnaryOperator<ProviderClient> followUps(
            UnaryOperator<Deployment> where, UnaryOperator<ProtocolHeaders> headers) {
        return provider -> new Decorator(provider, where, headers, true);
    }

    private static Deployment withEndpoint(Deployment d, Endpoint endpoint, Credentials credentials) {
        return copy(d, endpoint, credentials, d.extraHeaders());
    }

    private static Deployment withEndpoint(Deployment d, Endpoint endpoint) {
        return copy(d, endpoint, d.credentials(), d.extraHeaders());
    }

    private static Deployment withCredentials(Deployment d, Credentials credentials) {
        return copy(d, d.endpoint(), credentials, d.extraHeaders());
    }

    private static Deployment withAuth(Deployment d, Credentials credentials, AuthScheme scheme) {
        return new Deployment(
                d.id(),
                d.group(),
                d.provider(),
                d.providerModel(),
                d.endpoint(),
                credentials,
                scheme,
                d.extraHeaders(),
                d.timeout(),
                d.firstByteTimeout(),
                d.routing());
    }

    private static Deployment withExtraHeaders(Deployment d, ExtraHeaders headers) {
        return copy(d, d.endpoint(), d.credentials(), headers);
    }

    private static Deployment copy(Deployment d, Endpoint endpoint, Credentials credentials, ExtraHeaders headers) {
        return new Deployment(
                d.id(),
                d.group(),
                d.provider(),
                d.providerModel(),
                endpoint,
                credentials,
                d.authScheme(),
                headers,
                d.timeout(),
                d.firstByteTimeout(),
                d.routing());
    }

    /** Bends calls (all, or follow-ups only) before the real provider client makes them. */
    private static class Decorator implements ProviderClient {
        private final ProviderClient real;
        private final UnaryOperator<Deployment> where;
        private final UnaryOperator<ProtocolHeaders> headers;
        private final boolean followUpsOnly;

        Decorator(
                ProviderClient real,
                UnaryOperator<Deployment> where,
                UnaryOperator<ProtocolHeaders> headers,
                boolean followUpsOnly) {
            this.real = real;
            this.where = where;
            this.headers = headers;
            this.followUpsOnly = followUpsOnly;
        }

        @Override
        public ProviderReply send(Deployment deployment, ProviderRequest request) {
            return bent(request)
                    ? real.send(where.apply(deployment), withHeaders(request))
                    : real.send(deployment, request);
        }

        @Override
        public ProviderStream stream(Deployment deployment, ProviderRequest request) {
            return bent(request)
                    ? real.stream(where.apply(deployment), withHeaders(request))
                    : real.stream(deployment, request);
        }

        @Override
        public TokenCount countTokens(Deployment deployment, ProviderRequest request) {
            return bent(request)
                    ? real.countTokens(where.apply(deployment), withHeaders(request))
                    : real.countTokens(deployment, request);
        }

        private boolean bent(ProviderRequest request) {
            return !followUpsOnly || isFollowUp(request);
        }

        private ProviderRequest withHeaders(ProviderRequest request) {
            return new ProviderRequest(
                    request.body(), headers.apply(request.headers()), request.answerBy(), request.observer());
        }

        static boolean isFollowUp(ProviderRequest request) {
            List<ContentBlock> last = request.body().messages().getLast().content();
            return last.stream().anyMatch(b -> b instanceof ContentBlock.ToolResult);
        }
    }
}
