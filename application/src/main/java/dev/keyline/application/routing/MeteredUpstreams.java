package dev.keyline.application.routing;

import dev.keyline.domain.deployment.Deployment;
import dev.keyline.domain.failure.ProviderFailure;
import dev.keyline.domain.message.MessageEvent;
import dev.keyline.domain.message.Usage;
import dev.keyline.domain.routing.FailureClass;
import dev.keyline.ports.out.EventStream;
import dev.keyline.ports.out.HopObserver;
import dev.keyline.ports.out.MessageEventCodec;
import dev.keyline.ports.out.ProviderReply;
import dev.keyline.ports.out.ProviderRequest;
import dev.keyline.ports.out.ProviderStream;
import dev.keyline.ports.out.StreamStep;
import dev.keyline.ports.out.Telemetry;
import dev.keyline.ports.out.TokenCount;
import dev.keyline.ports.out.Upstream;
import dev.keyline.ports.out.UpstreamEvent;
import dev.keyline.ports.out.UpstreamHeaders;
import dev.keyline.ports.out.Upstreams;
import dev.keyline.ports.out.UsageMeter;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Upstreams whose calls are measured: their tokens go to the {@link UsageMeter} for deployments with a {@code tpm}
 * limit, their latency and tokens to the {@link Telemetry}, and how each call went to the {@link HopObserver} its
 * request carries (the client request's journal). A streamed answer counts its tokens when its stream is closed: the
 * input tokens of {@code message_start} and the last {@code message_delta}'s output tokens.
 */
public record MeteredUpstreams(Upstreams upstreams, UsageMeter meter, MessageEventCodec codec, Telemetry telemetry)
        implements Upstreams {

    public MeteredUpstreams {
        Objects.requireNonNull(upstreams, "'upstreams' must not be null");
        Objects.requireNonNull(meter, "'meter' must not be null");
        Objects.requireNonNull(codec, "'codec' must not be null");
        Objects.requireNonNull(telemetry, "'telemetry' must not be null");
    }

    @Override
    public Upstream of(Deployment deployment) {
        return new Metered(upstreams.of(deployment));
    }

    private void count(
            Deployment deployment, HopObserver hop, long input, long output, long cacheWrite, long cacheRead) {
        if (deployment.routing().tpm().isPresent()) {
            meter.addTokens(deployment, input + output);
        }
        telemetry.tokens(deployment, input, output);
        hop.tokens(input, output, cacheWrite, cacheRead);
    }

    private static void answered(HopObserver hop, Duration elapsed, UpstreamHeaders headers) {
        hop.answered("ok", 200, elapsed, Optional.ofNullable(headers.values().get("request-id")));
    }

    private static void failed(HopObserver hop, Duration elapsed, ProviderFailure failure) {
        hop.answered(FailureClass.of(failure).label(), failure.upstreamStatus(), elapsed, Optional.empty());
    }

    static long tokens(Usage usage) {
        return usage.inputTokens()
                + usage.outputTokens()
                + usage.cacheCreationInputTokens()
                + usage.cacheReadInputTokens();
    }

    private final class Metered implements Upstream {
        private final Upstream upstream;

        Metered(Upstream upstream) {
            this.upstream = upstream;
        }

        @Override
        public Deployment deployment() {
            return upstream.deployment();
        }

        @Override
        public ProviderReply send(ProviderRequest request) {
            long started = System.nanoTime();
            ProviderReply reply = upstream.send(request);
            Duration elapsed = Duration.ofNanos(System.nanoTime() - started);
            telemetry.upstream(deployment(), elapsed, false);
            switch (reply) {
                case ProviderReply.Completed completed -> {
                    answered(request.observer(), elapsed, completed.headers());
                    Usage usage = completed.answer().usage(); // counts only: a verbatim answer is not decoded
                    count(
                            deployment(),
                            request.observer(),
                            tokens(usage) - usage.outputTokens(),
                            usage.outputTokens(),
                            usage.cacheCreationInputTokens(),
                            usage.cacheReadInputTokens());
                }
                case ProviderReply.Failed failed -> failed(request.observer(), elapsed, failed.failure());
            }
            return reply;
        }

        @Override
        public ProviderStream stream(ProviderRequest request) {
            long started = System.nanoTime();
            // An opened stream holds its first event already: the time to first token.
            ProviderStream stream = upstream.stream(request);
            Duration elapsed = Duration.ofNanos(System.nanoTime() - started);
            return switch (stream) {
                case ProviderStream.Opened opened -> {
                    telemetry.upstream(deployment(), elapsed, true);
                    answered(request.observer(), elapsed, opened.headers());
                    yield new ProviderStream.Opened(
                            new Counting(opened.events(), deployment(), request.observer()), opened.headers());
                }
                case ProviderStream.Failed failed -> {
                    failed(request.observer(), elapsed, failed.failure());
                    yield failed;
                }
            };
        }

        @Override
        public TokenCount countTokens(ProviderRequest request) {
            long started = System.nanoTime();
            TokenCount count = upstream.countTokens(request);
            Duration elapsed = Duration.ofNanos(System.nanoTime() - started);
            switch (count) {
                case TokenCount.Counted counted -> answered(request.observer(), elapsed, UpstreamHeaders.none());
                // The deployment has no count endpoint; the gateway estimates, and no upstream was asked.
                case TokenCount.Unsupported unsupported ->
                    request.observer().answered("unsupported", 0, elapsed, Optional.empty());
                case TokenCount.Failed failed -> failed(request.observer(), elapsed, failed.failure());
            }
            return count;
        }
    }

    /** Reads the usage events of a stream as they pass and counts the total once, when it is closed. */
    private final class Counting implements EventStream {
        private final EventStream events;
        private final Deployment deployment;
        private final HopObserver hop;
        private final AtomicBoolean counted = new AtomicBoolean();
        private volatile Usage started = Usage.zero();
        private volatile Usage delta = Usage.zero();

        Counting(EventStream events, Deployment deployment, HopObserver hop) {
            this.events = events;
            this.deployment = deployment;
            this.hop = hop;
        }

        @Override
        public StreamStep next() {
            StreamStep step = events.next();
            if (step instanceof StreamStep.Broken broken) {
                hop.broke(FailureClass.of(broken.failure()).label());
            }
            if (step instanceof StreamStep.Event(var event)
                    && (event.type().equals("message_start") || event.type().equals("message_delta"))) {
                try {
                    MessageEvent typed = codec.typed(event);
                    switch (typed) {
                        case MessageEvent.MessageStart start ->
                            started = start.message().usage();
                        case MessageEvent.MessageDelta messageDelta -> delta = messageDelta.usage();
                        case MessageEvent.BlockStart ignored -> {}
                        case MessageEvent.BlockDelta ignored -> {}
                        case MessageEvent.BlockStop ignored -> {}
                        case MessageEvent.MessageStop ignored -> {}
                        case MessageEvent.Other ignored -> {}
                    }
                    // Read once: whoever looks next (a search loop, the chat door) gets the type with the frame.
                    if (event instanceof UpstreamEvent.Framed framed) {
                        return new StreamStep.Event(new UpstreamEvent.Decoded(framed.frame(), typed));
                    }
                } catch (RuntimeException unreadable) {
                    // The adapter already checked the event's shape; a usage it cannot read counts as none.
                }
            }
            return step;
        }

        @Override
        public boolean ready() {
            return events.ready();
        }

        @Override
        public void close() {
            try {
                events.close();
            } finally {
                if (counted.compareAndSet(false, true)) {
                    // message_delta's counts are cumulative; its input count, when present, supersedes the start's.
                    Usage last = delta;
                    long cacheWrite = Math.max(started.cacheCreationInputTokens(), last.cacheCreationInputTokens());
                    long cacheRead = Math.max(started.cacheReadInputTokens(), last.cacheReadInputTokens());
                    long input = Math.max(started.inputTokens(), last.inputTokens()) + cacheWrite + cacheRead;
                    count(
                            deployment,
                            hop,
                            input,
                            Math.max(started.outputTokens(), last.outputTokens()),
                            cacheWrite,
                            cacheRead);
                }
            }
        }
    }
}
