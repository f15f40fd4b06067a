package dev.keyline.application.routing;

import dev.keyline.domain.deployment.Deployment;
import dev.keyline.domain.message.MessageEvent;
import dev.keyline.domain.message.Usage;
import dev.keyline.ports.out.EventStream;
import dev.keyline.ports.out.MessageEventCodec;
import dev.keyline.ports.out.ProviderReply;
import dev.keyline.ports.out.ProviderRequest;
import dev.keyline.ports.out.ProviderStream;
import dev.keyline.ports.out.StreamStep;
import dev.keyline.ports.out.Telemetry;
import dev.keyline.ports.out.TokenCount;
import dev.keyline.ports.out.Upstream;
import dev.keyline.ports.out.Upstreams;
import dev.keyline.ports.out.UsageMeter;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Upstreams whose calls are measured: their tokens go to the {@link UsageMeter} for deployments with a {@code tpm}
 * limit, and their latency and tokens to the {@link Telemetry} when it records. Without either, a deployment's
 * upstream is not wrapped and its streams are not read for usage. A streamed answer counts its tokens when its stream
 * is closed: the input tokens of {@code message_start} and the last {@code message_delta}'s output tokens.
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
        Upstream upstream = upstreams.of(deployment);
        boolean measured = deployment.routing().tpm().isPresent() || !(telemetry instanceof Telemetry.Off);
        return measured ? new Metered(upstream) : upstream;
    }

    private void count(Deployment deployment, long input, long output) {
        if (deployment.routing().tpm().isPresent()) {
            meter.addTokens(deployment, input + output);
        }
        telemetry.tokens(deployment, input, output);
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
            telemetry.upstream(deployment(), Duration.ofNanos(System.nanoTime() - started), false);
            if (reply instanceof ProviderReply.Completed completed) {
                Usage usage = completed.response().usage();
                count(deployment(), tokens(usage) - usage.outputTokens(), usage.outputTokens());
            }
            return reply;
        }

        @Override
        public ProviderStream stream(ProviderRequest request) {
            long started = System.nanoTime();
            // An opened stream holds its first event already: the time to first token.
            return switch (upstream.stream(request)) {
                case ProviderStream.Opened opened -> {
                    telemetry.upstream(deployment(), Duration.ofNanos(System.nanoTime() - started), true);
                    yield new ProviderStream.Opened(new Counting(opened.events(), deployment()), opened.headers());
                }
                case ProviderStream.Failed failed -> failed;
            };
        }

        @Override
        public TokenCount countTokens(ProviderRequest request) {
            return upstream.countTokens(request);
        }
    }

    /** Reads the usage events of a stream as they pass and counts the total once, when it is closed. */
    private final class Counting implements EventStream {
        private final EventStream events;
        private final Deployment deployment;
        private final AtomicBoolean counted = new AtomicBoolean();
        private volatile Usage started = Usage.zero();
        private volatile Usage delta = Usage.zero();

        Counting(EventStream events, Deployment deployment) {
            this.events = events;
            this.deployment = deployment;
        }

        @Override
        public StreamStep next() {
            StreamStep step = events.next();
            if (step instanceof StreamStep.Event(var event)
                    && (event.type().equals("message_start") || event.type().equals("message_delta"))) {
                try {
                    switch (codec.read(event)) {
                        case MessageEvent.MessageStart start ->
                            started = start.message().usage();
                        case MessageEvent.MessageDelta messageDelta -> delta = messageDelta.usage();
                        case MessageEvent.BlockStart ignored -> {}
                        case MessageEvent.BlockDelta ignored -> {}
                        case MessageEvent.BlockStop ignored -> {}
                        case MessageEvent.MessageStop ignored -> {}
                        case MessageEvent.Other ignored -> {}
                    }
                } catch (RuntimeException unreadable) {
                    // The adapter already checked the event's shape; a usage it cannot read counts as none.
                }
            }
            return step;
        }

        @Override
        public void close() {
            try {
                events.close();
            } finally {
                if (counted.compareAndSet(false, true)) {
                    // message_delta's counts are cumulative; its input count, when present, supersedes the start's.
                    Usage last = delta;
                    long input = Math.max(started.inputTokens(), last.inputTokens())
                            + Math.max(started.cacheCreationInputTokens(), last.cacheCreationInputTokens())
                            + Math.max(started.cacheReadInputTokens(), last.cacheReadInputTokens());
                    count(deployment, input, Math.max(started.outputTokens(), last.outputTokens()));
                }
            }
        }
    }
}
