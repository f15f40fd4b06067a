package dev.keyline.app.tracing;

import dev.keyline.adapters.frontdoors.tracing.SpanIds;
import io.opentelemetry.sdk.trace.IdGenerator;

/**
 * The SDK's span and trace ids, except where the gateway chose them first: a request's upstream calls sent their
 * span ids upstream as {@code traceparent} while it ran, and its spans are built from its journal after it is done,
 * on one thread; the ids set for that thread go to the next span it starts, then random ids again.
 */
final class PresetIds implements IdGenerator, SpanIds {

    private static final IdGenerator RANDOM = IdGenerator.random();

    /** The preset trace id and span id; each is used once. */
    private final ThreadLocal<String[]> preset = new ThreadLocal<>();

    @Override
    public void next(String traceId, String spanId) {
        preset.set(new String[] {traceId, spanId});
    }

    @Override
    public String generateSpanId() {
        String[] ids = preset.get();
        if (ids == null || ids[1] == null) {
            return RANDOM.generateSpanId();
        }
        String spanId = ids[1];
        ids[1] = null;
        return spanId;
    }

    /** Asked by a span without a parent, after its span id. */
    @Override
    public String generateTraceId() {
        String[] ids = preset.get();
        if (ids == null || ids[0] == null) {
            return RANDOM.generateTraceId();
        }
        String traceId = ids[0];
        preset.remove();
        return traceId;
    }
}
