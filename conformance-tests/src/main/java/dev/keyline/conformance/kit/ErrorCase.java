package dev.keyline.conformance.kit;

import static org.quicktheories.generators.SourceDSL.integers;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.quicktheories.core.Gen;

/**
 * A request that must fail: bad input the gateway refuses itself, or an upstream fault the gateway must pass on.
 *
 * @param kind     what is wrong
 * @param group    the group asked for
 * @param upstream what the fake does, for {@link Kind#UPSTREAM}
 * @param id       the case's id
 */
record ErrorCase(Kind kind, String group, UpstreamFault upstream, String id) {

    enum Kind {
        MALFORMED_JSON,
        MISSING_MAX_TOKENS,
        UNKNOWN_MODEL,
        UPSTREAM
    }

    /**
     * Every upstream failure class a router tells apart. {@code token} is what the fake reads from the case's marker.
     */
    enum UpstreamFault {
        BAD_REQUEST("400", 400),
        UNAUTHORIZED("401", 401),
        FORBIDDEN("403", 403),
        NOT_FOUND("404", 404),
        REQUEST_TIMEOUT("408", 408),
        TOO_LARGE("413", 413),
        RATE_LIMITED("429", 429),
        RATE_LIMITED_RETRY_AFTER("429r", 429),
        SERVER_ERROR("500", 500),
        BAD_GATEWAY_HTML("502", 502),
        UNAVAILABLE("503", 503),
        OVERLOADED("529", 529),
        /** The connection is reset before any answer; a gateway answers with a 5xx of its own. */
        RESET("reset", 0),
        /** The answer comes after the deployment's timeout; a gateway answers 504 (or 408), not the late answer. */
        TIMEOUT("timeout", 0);

        final String token;
        final int status;

        UpstreamFault(String token, int status) {
            this.token = token;
            this.status = status;
        }

        @Override
        public String toString() {
            return token;
        }
    }

    /**
     * Random cases. Upstream failures are sent to the lone deployment, which never rests, so its own status must come
     * back every time; in a group of several, an earlier failing case may rightly have rested every member.
     */
    static Gen<ErrorCase> all(boolean shared) {
        // A timeout costs the deployment's timeout on every attempt; it is judged once per run, in the coverage cases.
        List<UpstreamFault> drawn = Arrays.stream(UpstreamFault.values())
                .filter(fault -> fault != UpstreamFault.TIMEOUT)
                .toList();
        return integers()
                .between(0, Kind.values().length - 1)
                .zip(
                        integers().between(0, 1),
                        integers().between(0, drawn.size() - 1),
                        (kind, group, fault) -> new ErrorCase(
                                Kind.values()[kind],
                                group == 0 || Kind.values()[kind] == Kind.UPSTREAM || !shared
                                        ? FakeUpstreams.SOLO
                                        : FakeUpstreams.SHARED,
                                drawn.get(fault),
                                UUID.randomUUID().toString()));
    }

    /**
     * The cases every run judges before the random ones, whatever the seed: each kind of bad input, and each
     * upstream fault class. A seed that never draws a 401 must not let a gateway that rests on 401 pass.
     */
    static List<ErrorCase> coverage(boolean timeouts) {
        List<ErrorCase> cases = new ArrayList<>();
        for (Kind kind : List.of(Kind.MALFORMED_JSON, Kind.MISSING_MAX_TOKENS, Kind.UNKNOWN_MODEL)) {
            cases.add(new ErrorCase(
                    kind,
                    FakeUpstreams.SOLO,
                    UpstreamFault.BAD_REQUEST,
                    UUID.randomUUID().toString()));
        }
        for (UpstreamFault fault : UpstreamFault.values()) {
            if (fault == UpstreamFault.TIMEOUT && !timeouts) {
                // A gateway that cannot be given a deployment timeout waits for the late answer, as told.
                continue;
            }
            cases.add(new ErrorCase(
                    Kind.UPSTREAM, FakeUpstreams.SOLO, fault, UUID.randomUUID().toString()));
        }
        return cases;
    }

    /** @return whether a conforming gateway may answer with this status */
    boolean accepts(int status) {
        return switch (kind) {
            case MALFORMED_JSON, MISSING_MAX_TOKENS -> status == 400;
            case UNKNOWN_MODEL -> status == 404;
            case UPSTREAM ->
                switch (upstream) {
                    case RESET -> status >= 500 && status <= 599;
                    case TIMEOUT -> status == 408 || status >= 500 && status <= 599;
                    default -> status == upstream.status;
                };
        };
    }

    /** @return the status a conforming gateway answers with, in words */
    String expected() {
        return switch (kind) {
            case MALFORMED_JSON, MISSING_MAX_TOKENS -> "400";
            case UNKNOWN_MODEL -> "404";
            case UPSTREAM ->
                switch (upstream) {
                    case RESET -> "a 5xx";
                    case TIMEOUT -> "504 (or 408)";
                    default -> Integer.toString(upstream.status);
                };
        };
    }

    String body() {
        String marker = "kit:0:0:" + id + ":" + upstream.token;
        return switch (kind) {
            case MALFORMED_JSON -> "{\"model\":\"" + group + "\",\"max_tokens\":";
            case MISSING_MAX_TOKENS ->
                "{\"model\":\"" + group + "\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}";
            case UNKNOWN_MODEL ->
                "{\"model\":\"no-such-model\",\"max_tokens\":8,\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}";
            case UPSTREAM ->
                "{\"model\":\"" + group + "\",\"max_tokens\":8,\"metadata\":{\"user_id\":\"" + marker
                        + "\"},\"messages\":[{\"role\":\"user\",\"content\":\"" + KitScript.tagged("x", marker)
                        + "\"}]}";
        };
    }

    /** The same case as an OpenAI client sends it; chat has no required max_tokens, so that kind omits messages. */
    String chatBody() {
        String marker = "kit:0:0:" + id + ":" + upstream.token;
        return switch (kind) {
            case MALFORMED_JSON -> "{\"model\":\"" + group + "\",\"messages\":";
            case MISSING_MAX_TOKENS -> "{\"model\":\"" + group + "\",\"max_tokens\":8}";
            case UNKNOWN_MODEL ->
                "{\"model\":\"no-such-model\",\"max_tokens\":8,\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}";
            case UPSTREAM ->
                "{\"model\":\"" + group + "\",\"max_tokens\":8,\"user\":\"" + marker
                        + "\",\"messages\":[{\"role\":\"user\",\"content\":\"" + KitScript.tagged("x", marker)
                        + "\"}]}";
        };
    }

    /** @return an ordinary request to the same group, right after */
    String followingRequest() {
        return GatewayPost.ordinaryRequest(group, id);
    }

    @Override
    public String toString() {
        return "kind=" + kind + " group=" + group + (kind == Kind.UPSTREAM ? " upstream=" + upstream : "");
    }
}
