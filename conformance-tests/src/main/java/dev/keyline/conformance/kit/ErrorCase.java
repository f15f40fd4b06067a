package dev.keyline.conformance.kit;

import static org.quicktheories.generators.SourceDSL.integers;

import java.util.List;
import java.util.UUID;
import org.quicktheories.core.Gen;

/**
 * A request that must fail: bad input the gateway refuses itself, or an upstream error the gateway must pass on.
 *
 * @param kind       what is wrong
 * @param group      the group asked for
 * @param upstream   the status the fake answers with, for {@link Kind#UPSTREAM}
 * @param id         the case's id
 */
record ErrorCase(Kind kind, String group, int upstream, String id) {

    enum Kind {
        MALFORMED_JSON,
        MISSING_MAX_TOKENS,
        UNKNOWN_MODEL,
        UPSTREAM
    }

    private static final List<Integer> UPSTREAM_STATUSES = List.of(400, 401, 403, 404, 413, 429, 500, 502, 503, 529);

    /**
     * Upstream failures are sent to the lone deployment, which never rests, so its own status must come back every
     * time; in a group of several, an earlier failing case may rightly have rested every member.
     */
    static Gen<ErrorCase> all() {
        return integers()
                .between(0, Kind.values().length - 1)
                .zip(
                        integers().between(0, 1),
                        integers().between(0, UPSTREAM_STATUSES.size() - 1),
                        (kind, group, status) -> new ErrorCase(
                                Kind.values()[kind],
                                group == 0 || Kind.values()[kind] == Kind.UPSTREAM ? "solo" : "pair",
                                UPSTREAM_STATUSES.get(status),
                                UUID.randomUUID().toString()));
    }

    /** @return the status a conforming gateway answers with */
    int expectedStatus() {
        return switch (kind) {
            case MALFORMED_JSON, MISSING_MAX_TOKENS -> 400;
            case UNKNOWN_MODEL -> 404;
            case UPSTREAM -> upstream;
        };
    }

    String body() {
        String marker = "kit:0:0:" + id + ":" + upstream;
        return switch (kind) {
            case MALFORMED_JSON -> "{\"model\":\"" + group + "\",\"max_tokens\":";
            case MISSING_MAX_TOKENS ->
                "{\"model\":\"" + group + "\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}";
            case UNKNOWN_MODEL ->
                "{\"model\":\"no-such-model\",\"max_tokens\":8,\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}";
            case UPSTREAM ->
                "{\"model\":\"" + group + "\",\"max_tokens\":8,\"metadata\":{\"user_id\":\"" + marker
                        + "\"},\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}";
        };
    }

    /** @return an ordinary request to the same group, right after */
    String followingRequest() {
        return "{\"model\":\"" + group + "\",\"max_tokens\":8,\"metadata\":{\"user_id\":\"kit:0:0:" + id
                + "-next\"},\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}";
    }

    @Override
    public String toString() {
        return "kind=" + kind + " group=" + group + (kind == Kind.UPSTREAM ? " upstream=" + upstream : "");
    }
}
