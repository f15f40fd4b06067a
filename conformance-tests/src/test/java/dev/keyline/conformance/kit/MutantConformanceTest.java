package dev.keyline.conformance.kit;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keyline.app.KeylineServer;
import dev.keyline.app.config.ConfigLoader;
import dev.keyline.app.config.GatewayConfig;
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
import dev.keyline.domain.message.StreamEvent;
import dev.keyline.domain.message.Usage;
import dev.keyline.domain.testing.TestDeployments;
import dev.keyline.ports.out.EventStream;
import dev.keyline.ports.out.ProviderClient;
import dev.keyline.ports.out.ProviderReply;
import dev.keyline.ports.out.ProviderRequest;
import dev.keyline.ports.out.ProviderStream;
import dev.keyline.ports.out.StreamStep;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.InstantSource;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Proof that the kit can fail: Keyline with a provider client that misbehaves the way real gateways have, and the
 * property that must catch each.
 */
class MutantConformanceTest {

    private static FakeUpstreams fakes;
    private static GatewayConfig config;

    @BeforeAll
    static void fakes() {
        fakes = new FakeUpstreams();
        config = new ConfigLoader(fakes.environment()).parse(fakes.keylineConfig(), "kit");
    }

    @AfterAll
    static void stop() {
        fakes.close();
    }

    @Test
    void followUpsRoutedToAnotherDeployment_failLoopHopBinding() {
        assertCaught(
                KitProperty.LOOP_HOP_BINDING,
                followUps(
                        d -> config.deployments().stream()
                                .filter(o -> o.group().equals(d.group()) && !o.id().equals(d.id()))
                                .findFirst()
                                .orElse(d),
                        h -> h));
    }

    @Test
    void followUpsSentToTheEnvironmentsAnthropic_failNoEnvFallback() {
        // LiteLLM #26389: the follow-up lost api_base and key, and took ANTHROPIC_BASE_URL and ANTHROPIC_API_KEY.
        assertCaught(
                KitProperty.NO_ENV_FALLBACK,
                followUps(
                        d -> withEndpoint(
                                d,
                                Endpoint.parse(fakes.environment().get("ANTHROPIC_BASE_URL")),
                                Credentials.of(fakes.environment().get("ANTHROPIC_API_KEY"))),
                        h -> h));
    }

    /**
     * Weakness 1 of the kit's first round: it looked for a decoy key the gateway had never been given (a new one per
     * call), so one follow-up carrying the environment's key was caught only by a 1-in-16 prefix coincidence.
     */
    @Test
    void oneFollowUpCarryingTheEnvironmentsKey_toTheRightDeployment_failsNoEnvFallback() {
        AtomicBoolean sent = new AtomicBoolean();
        assertCaught(
                KitProperty.NO_ENV_FALLBACK,
                followUps(
                        d -> sent.compareAndSet(false, true)
                                ? TestDeployments.withCredentials(d, Credentials.of(fakes.decoyKey))
                                : d,
                        h -> h));
    }

    /**
     * Weakness 3: a follow-up that reached no deployment was not counted when the answer was not a 200, so the
     * seed's own defect (the JSON follow-up sent to ANTHROPIC_BASE_URL, answered 401) passed.
     */
    @Test
    void jsonFollowUpsSentToTheEnvironmentsBaseUrl_failLoopHopBinding() {
        Endpoint decoy = Endpoint.parse(fakes.environment().get("ANTHROPIC_BASE_URL"));
        assertCaught(KitProperty.LOOP_HOP_BINDING, provider -> new Decorator(provider, d -> d, h -> h, false) {
            @Override
            public ProviderReply send(Deployment deployment, ProviderRequest request) {
                return super.send(
                        isFollowUp(request) ? TestDeployments.withEndpoint(deployment, decoy) : deployment, request);
            }
        });
    }

    @Test
    void aKeySentToTheWrongDeployment_failsHopCredentials() {
        assertCaught(
                KitProperty.HOP_CREDENTIALS,
                provider -> new Decorator(
                        provider,
                        d -> withEndpoint(d, d.endpoint(), Credentials.of("sk-someone-elses-key")),
                        h -> h,
                        false));
    }

    @Test
    void aRetryWithTheFailedDeploymentsKey_failsFallbackCredentials() {
        assertCaught(KitProperty.FALLBACK_CREDENTIALS, provider -> new Decorator(provider, d -> d, h -> h, false) {
            private volatile Deployment lastFailed;

            @Override
            public ProviderReply send(Deployment deployment, ProviderRequest request) {
                ProviderReply reply = super.send(target(deployment), request);
                if (reply instanceof ProviderReply.Failed) {
                    lastFailed = deployment;
                }
                return reply;
            }

            @Override
            public ProviderStream stream(Deployment deployment, ProviderRequest request) {
                ProviderStream stream = super.stream(target(deployment), request);
                if (stream instanceof ProviderStream.Failed) {
                    lastFailed = deployment;
                }
                return stream;
            }

            /** The retry keeps the key of the deployment that just failed. */
            private Deployment target(Deployment deployment) {
                Deployment failed = lastFailed;
                lastFailed = null;
                return failed == null || failed.equals(deployment)
                        ? deployment
                        : withEndpoint(deployment, deployment.endpoint(), failed.credentials());
            }
        });
    }

    @Test
    void searchHistorySentUpstreamAsServerBlocks_failsHistoryReplay() {
        assertCaught(KitProperty.HISTORY_REPLAY, provider -> new Decorator(provider, d -> d, h -> h, false) {
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

    @Test
    void aGatewayThatSendsEveryCallTwice_failsLoopBounded() {
        assertCaught(KitProperty.LOOP_BOUNDED, provider -> new Decorator(provider, d -> d, h -> h, false) {
            @Override
            public ProviderReply send(Deployment deployment, ProviderRequest request) {
                super.send(deployment, request);
                return super.send(deployment, request);
            }
        });
    }

    @Test
    void answersWithAnUnknownStopReason_failNativeShape() {
        assertCaught(KitProperty.NATIVE_SHAPE, provider -> new Decorator(provider, d -> d, h -> h, false) {
            @Override
            public ProviderReply send(Deployment deployment, ProviderRequest request) {
                ProviderReply reply = super.send(deployment, request);
                if (reply instanceof ProviderReply.Completed done) {
                    MessageResponse r = done.response();
                    return new ProviderReply.Completed(
                            new MessageResponse(
                                    r.id(),
                                    r.model(),
                                    r.content(),
                                    r.stopReason()
                                            .map(reason -> reason.equals("end_turn") ? "finished_somehow" : reason),
                                    r.stopSequence(),
                                    r.usage(),
                                    r.extra()),
                            done.headers());
                }
                return reply;
            }
        });
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
                request.headers());
    }

    @Test
    void followUpsThatDropHeaders_failHeaderPropagation() {
        assertCaught(
                KitProperty.HEADER_PROPAGATION,
                followUps(
                        d -> TestDeployments.withExtraHeaders(d, ExtraHeaders.none()),
                        h -> ProtocolHeaders.defaults()));
    }

    @Test
    void answersThatReportOnlyTheLastHopsUsage_failUsageSum() {
        assertCaught(KitProperty.USAGE_SUM, provider -> new Decorator(provider, d -> d, h -> h, false) {
            @Override
            public ProviderReply send(Deployment deployment, ProviderRequest request) {
                ProviderReply reply = super.send(deployment, request);
                if (reply instanceof ProviderReply.Completed done && !isFollowUp(request)) {
                    MessageResponse r = done.response();
                    return new ProviderReply.Completed(
                            new MessageResponse(
                                    r.id(),
                                    r.model(),
                                    r.content(),
                                    r.stopReason(),
                                    r.stopSequence(),
                                    Usage.zero(),
                                    r.extra()),
                            done.headers());
                }
                return reply;
            }
        });
    }

    @Test
    void streamsThatSayOtherThanTheJsonAnswer_failStreamEquivalence() {
        assertCaught(KitProperty.STREAM_EQUIVALENCE, provider -> new Decorator(provider, d -> d, h -> h, false) {
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
                                return step instanceof StreamStep.Event event
                                                && event.event().data().contains("text_delta")
                                        ? new StreamStep.Event(new StreamEvent(
                                                event.event().type(),
                                                event.event().data().replace("hop ", "hop~")))
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

    @Test
    void upstreamErrorsTurnedIntoGatewayFailures_failErrorShape() {
        assertCaught(ErrorKit.ErrorProperty.ERROR_SHAPE, provider -> new Decorator(provider, d -> d, h -> h, false) {
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

    @Test
    void aGatewayThatRestsALoneDeployment_failsNoCooldownCascade() {
        // The LiteLLM behaviour: one 401 and the only deployment answers "no deployments available" for a while.
        assertCaught(
                ErrorKit.ErrorProperty.NO_COOLDOWN_CASCADE, provider -> new Decorator(provider, d -> d, h -> h, false) {
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
                        if (reply instanceof ProviderReply.Failed) {
                            restingUntil = System.nanoTime() + 5_000_000_000L;
                        }
                        return reply;
                    }
                });
    }

    /** Weakness 2: the default seed never drew a 401, so resting a lone deployment on 401 alone went unseen. */
    @Test
    void aGatewayThatRestsALoneDeploymentOn401_failsNoCooldownCascade() {
        assertCaught(
                ErrorKit.ErrorProperty.NO_COOLDOWN_CASCADE, provider -> new Decorator(provider, d -> d, h -> h, false) {
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
                        if (reply instanceof ProviderReply.Failed failed
                                && failed.failure() instanceof ProviderFailure.Unauthorized) {
                            restingUntil = System.nanoTime() + 5_000_000_000L;
                        }
                        return reply;
                    }
                });
    }

    private static void assertCaught(KitProperty property, UnaryOperator<ProviderClient> mutant) {
        try (KeylineServer gateway = KeylineServer.start(config, "127.0.0.1", 0, InstantSource.system(), mutant)) {
            record(new PropertyJudge(new GatewayClient(gateway.baseUrl(), fakes), fakes)
                    .judge(property, KeylineConformanceTest.SEED, KeylineConformanceTest.CASES));
        }
    }

    private static void assertCaught(ErrorKit.ErrorProperty property, UnaryOperator<ProviderClient> mutant) {
        try (KeylineServer gateway = KeylineServer.start(config, "127.0.0.1", 0, InstantSource.system(), mutant)) {
            record(new ErrorKit(gateway.baseUrl())
                    .judge(property, KeylineConformanceTest.SEED, KeylineConformanceTest.CASES));
        }
    }

    private static void record(PropertyJudge.Verdict verdict) {
        assertFalse(verdict.passed(), verdict.property() + " passed on a mutant that violates it");
        assertTrue(verdict.counterexample().contains("group="), verdict.counterexample());
        appendFigure(verdict.property() + " caught: " + verdict.counterexample().replaceAll("\\s+", " "));
    }

    private static void appendFigure(String line) {
        try {
            Files.writeString(
                    Path.of("target", "kit-mutants.txt"),
                    line + "\n",
                    StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static UnaryOperator<ProviderClient> followUps(
            UnaryOperator<Deployment> where, UnaryOperator<ProtocolHeaders> headers) {
        return provider -> new Decorator(provider, where, headers, true);
    }

    private static Deployment withEndpoint(Deployment d, Endpoint endpoint, Credentials credentials) {
        return TestDeployments.withCredentials(TestDeployments.withEndpoint(d, endpoint), credentials);
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

        private boolean bent(ProviderRequest request) {
            return !followUpsOnly || isFollowUp(request);
        }

        private ProviderRequest withHeaders(ProviderRequest request) {
            return new ProviderRequest(request.body(), headers.apply(request.headers()));
        }

        static boolean isFollowUp(ProviderRequest request) {
            List<ContentBlock> last = request.body().messages().getLast().content();
            return last.stream().anyMatch(b -> b instanceof ContentBlock.ToolResult);
        }
    }
}
