package dev.keyline.adapters.frontdoors.server;

import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;
import java.util.random.RandomGenerator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A request's place in a W3C trace ({@code traceparent}): the trace it joins (the client's, when it sent a valid
 * {@code traceparent}, else a new one), the client's span that is its parent, and its own server span. When the
 * gateway exports traces, each upstream call gets a client span of its own and sends that span as its
 * {@code traceparent}; when it does not, a call passes the client's {@code traceparent} on unchanged, so the client's
 * trace still reaches the upstream.
 *
 * @param traceId  32 lower-case hex digits
 * @param parent   the client's span, when the request joined a trace
 * @param spanId   the request's own server span, 16 lower-case hex digits
 * @param sampled  the trace's sampled flag (the client's; true for a new trace)
 * @param exported whether the gateway exports its spans
 */
public record TraceContext(String traceId, Optional<String> parent, String spanId, boolean sampled, boolean exported) {

    /** W3C Trace Context, level 1: version-traceid-parentid-flags; later versions may add fields after the flags. */
    private static final Pattern TRACEPARENT =
            Pattern.compile("([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?");

    private static final String ZERO_TRACE = "0".repeat(32);
    private static final String ZERO_SPAN = "0".repeat(16);

    public TraceContext {
        requireHex(traceId, 32, "traceId");
        Objects.requireNonNull(parent, "'parent' must not be null");
        parent.ifPresent(p -> requireHex(p, 16, "parent"));
        requireHex(spanId, 16, "spanId");
    }

    /**
     * @param traceparent the client's header, if it sent one; one that is not valid W3C is ignored, as the spec says
     * @param exported    whether the gateway exports spans
     * @return the request's trace context, with a new server span
     */
    public static TraceContext of(Optional<String> traceparent, boolean exported, RandomGenerator random) {
        Optional<Matcher> valid = traceparent
                .map(String::strip)
                .map(TRACEPARENT::matcher)
                .filter(m -> m.matches()
                        && !m.group(1).equals("ff")
                        && (m.group(5) == null || !m.group(1).equals("00"))
                        && !m.group(2).equals(ZERO_TRACE)
                        && !m.group(3).equals(ZERO_SPAN));
        if (valid.isEmpty()) {
            return new TraceContext(newId(random, 16), Optional.empty(), newSpanId(random), true, exported);
        }
        Matcher m = valid.get();
        boolean sampled = (HexFormat.fromHexDigits(m.group(4)) & 1) == 1;
        return new TraceContext(m.group(2), Optional.of(m.group(3)), newSpanId(random), sampled, exported);
    }

    /** @return a new span id: 16 hex digits, never all zero */
    public static String newSpanId(RandomGenerator random) {
        return newId(random, 8);
    }

    /**
     * @param callSpan the upstream call's own client span
     * @return the {@code traceparent} the call sends: its span's when spans are exported, else the client's own
     */
    public Optional<String> forCall(String callSpan) {
        if (exported) {
            return Optional.of(header(callSpan));
        }
        return parent.map(this::header);
    }

    private String header(String span) {
        return "00-" + traceId + "-" + span + "-" + (sampled ? "01" : "00");
    }

    private static String newId(RandomGenerator random, int bytes) {
        byte[] id = new byte[bytes];
        do {
            random.nextBytes(id);
        } while (isZero(id));
        return HexFormat.of().formatHex(id);
    }

    private static boolean isZero(byte[] id) {
        for (byte b : id) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }

    private static void requireHex(String value, int length, String name) {
        Objects.requireNonNull(value, "'" + name + "' must not be null");
        if (value.length() != length
                || !value.chars().allMatch(c -> (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
            throw new IllegalArgumentException(name + " must be " + length + " lower-case hex digits");
        }
    }
}
