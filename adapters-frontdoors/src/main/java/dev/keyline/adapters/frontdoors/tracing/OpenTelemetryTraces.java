package dev.keyline.adapters.frontdoors.tracing;

import dev.keyline.adapters.frontdoors.server.FinishedRequest;
import dev.keyline.adapters.frontdoors.server.InMemoryRequestJournal;
import dev.keyline.adapters.frontdoors.server.TraceContext;
import dev.keyline.ports.in.Hop;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import java.time.Instant;
import java.util.Objects;

/**
 * Traces each finished request from its journal: a server span for the request, a client span per upstream call
 * (named after the OpenTelemetry GenAI conventions, {@code chat <model group>}), and a span per search beside them,
 * marked with the call whose answer asked for it. The spans are built when the request is done, with the times the journal kept, so a
 * request pays nothing while it runs and nothing at all when traces are off (this class is then not wired).
 * Attributes are ids, configuration names, statuses and counts: never a key, a base or a client's text.
 */
public final class OpenTelemetryTraces implements FinishedRequest.Listener {

    private static final AttributeKey<String> REQUEST_ID = AttributeKey.stringKey("keyline.request_id");
    private static final AttributeKey<String> METHOD = AttributeKey.stringKey("http.request.method");
    private static final AttributeKey<String> ROUTE = AttributeKey.stringKey("http.route");
    private static final AttributeKey<Long> STATUS = AttributeKey.longKey("http.response.status_code");
    private static final AttributeKey<String> SURFACE = AttributeKey.stringKey("keyline.surface");
    private static final AttributeKey<String> MODEL_GROUP = AttributeKey.stringKey("keyline.model_group");
    private static final AttributeKey<String> DEPLOYMENT = AttributeKey.stringKey("keyline.deployment");
    private static final AttributeKey<String> MODE = AttributeKey.stringKey("keyline.mode");
    private static final AttributeKey<Double> ADDED_MS = AttributeKey.doubleKey("keyline.added_ms");
    private static final AttributeKey<Long> SEARCHES = AttributeKey.longKey("keyline.searches");
    private static final AttributeKey<String> OPERATION = AttributeKey.stringKey("gen_ai.operation.name");
    private static final AttributeKey<Long> HOP = AttributeKey.longKey("keyline.hop");
    private static final AttributeKey<String> ROLE = AttributeKey.stringKey("keyline.hop.role");
    private static final AttributeKey<String> OUTCOME = AttributeKey.stringKey("keyline.outcome");
    private static final AttributeKey<Long> INPUT_TOKENS = AttributeKey.longKey("gen_ai.usage.input_tokens");
    private static final AttributeKey<Long> OUTPUT_TOKENS = AttributeKey.longKey("gen_ai.usage.output_tokens");
    private static final AttributeKey<String> UPSTREAM_REQUEST_ID =
            AttributeKey.stringKey("keyline.upstream_request_id");

    private final Tracer tracer;
    private final SpanIds ids;

    /** @param ids gives the request's span and its calls' spans the ids they were sent upstream with */
    public OpenTelemetryTraces(Tracer tracer, SpanIds ids) {
        this.tracer = Objects.requireNonNull(tracer, "'tracer' must not be null");
        this.ids = Objects.requireNonNull(ids, "'ids' must not be null");
    }

    @Override
    public void finished(FinishedRequest request) {
        Instant arrived = request.at();
        String method = request.route().substring(0, Math.max(0, request.route().indexOf(' ')));
        TraceContext trace = request.trace();
        SpanBuilder rootBuilder = tracer.spanBuilder(request.route());
        // A client's traceparent makes the request a child of the client's span, in the client's trace.
        trace.parent()
                .ifPresentOrElse(
                        parentSpan -> rootBuilder.setParent(Context.root()
                                .with(Span.wrap(SpanContext.createFromRemoteParent(
                                        trace.traceId(),
                                        parentSpan,
                                        trace.sampled() ? TraceFlags.getSampled() : TraceFlags.getDefault(),
                                        TraceState.getDefault())))),
                        rootBuilder::setNoParent);
        ids.next(trace.traceId(), trace.spanId());
        Span root = rootBuilder
                .setSpanKind(SpanKind.SERVER)
                .setStartTimestamp(arrived)
                .setAttribute(REQUEST_ID, request.id())
                .setAttribute(METHOD, method)
                .setAttribute(ROUTE, request.route().substring(method.length()).strip())
                .setAttribute(STATUS, (long) request.status())
                .setAttribute(SURFACE, request.surface())
                .setAttribute(MODEL_GROUP, request.modelGroup())
                .setAttribute(DEPLOYMENT, request.deployment())
                .setAttribute(MODE, request.mode())
                .setAttribute(ADDED_MS, request.added().toNanos() / 1e6)
                .setAttribute(SEARCHES, (long) request.searches().size())
                .startSpan();
        if (request.status() >= 500) {
            root.setStatus(StatusCode.ERROR);
        }
        Context parent = Context.root().with(root);
        for (int i = 0; i < request.hops().size(); i++) {
            Hop hop = request.hops().get(i);
            Instant start = arrived.plus(hop.at());
            // The id this call sent upstream as its traceparent: the upstream's spans hang under it.
            ids.next(trace.traceId(), request.hopSpans().get(i));
            Span call = tracer.spanBuilder("chat " + hop.modelGroup())
                    .setParent(parent)
                    .setSpanKind(SpanKind.CLIENT)
                    .setStartTimestamp(start)
                    .setAttribute(OPERATION, "chat")
                    .setAttribute(HOP, (long) hop.index())
                    .setAttribute(ROLE, hop.role().label())
                    .setAttribute(MODEL_GROUP, hop.modelGroup())
                    .setAttribute(DEPLOYMENT, hop.deployment())
                    .setAttribute(OUTCOME, hop.outcome())
                    .setAttribute(INPUT_TOKENS, hop.inputTokens())
                    .setAttribute(OUTPUT_TOKENS, hop.outputTokens())
                    .setAttribute(SEARCHES, (long) hop.searches())
                    .startSpan();
            if (hop.status() > 0) {
                call.setAttribute(STATUS, (long) hop.status());
            }
            hop.upstreamRequestId().ifPresent(id -> call.setAttribute(UPSTREAM_REQUEST_ID, id));
            if (!hop.outcome().equals("ok")) {
                call.setStatus(StatusCode.ERROR, hop.outcome());
            }
            // A call's span ends when its answer came: a JSON answer whole, a stream's first event.
            call.end(start.plus(hop.upstream()));
        }
        for (InMemoryRequestJournal.Search search : request.searches()) {
            Span searchSpan = tracer.spanBuilder("web_search")
                    .setParent(parent)
                    .setSpanKind(SpanKind.CLIENT)
                    .setStartTimestamp(arrived.plus(search.at()))
                    .setAttribute(HOP, (long) search.hop())
                    .setAttribute(OUTCOME, search.outcome())
                    .startSpan();
            if (!search.outcome().equals("ok")) {
                searchSpan.setStatus(StatusCode.ERROR, search.outcome());
            }
            searchSpan.end(arrived.plus(search.at()).plus(search.took()));
        }
        root.end(arrived.plus(request.elapsed()));
    }
}
