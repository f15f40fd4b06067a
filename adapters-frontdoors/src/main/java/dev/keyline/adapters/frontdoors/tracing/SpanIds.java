package dev.keyline.adapters.frontdoors.tracing;

/**
 * Lets the traces give a span the id the gateway chose for it before the request ran: a request's upstream calls
 * send their span ids upstream as they are made, and the spans are built from the journal when the request is done.
 * The tracing SDK's id generator implements it.
 */
public interface SpanIds {

    /**
     * The next span this thread starts gets these ids; the trace id is used only by a span without a parent.
     *
     * @param traceId 32 hex digits
     * @param spanId  16 hex digits
     */
    void next(String traceId, String spanId);
}
