package dev.keyline.conformance.kit;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Judges {@code loop-fault-ending}: a search loop whose follow-up fails (500, 529, a reset, a cut body or stream, an
 * answer later than the timeout, a stream that turns into {@code event: error}) must end with that deployment's
 * trouble, never as a success. JSON: an
 * Anthropic error with the upstream's status (5xx for a reset or a cut). A stream: an Anthropic error before any
 * byte, or an SSE stream that ends in {@code event: error} without {@code message_stop}. And the lone deployment it
 * happened on still serves the next request. Every fault is judged streamed and not, in every run.
 */
final class LoopFaultKit {

    static final String ID = "loop-fault-ending";
    static final String TITLE = "a failing follow-up ends the answer with that deployment's error, never a success;"
            + " the lone deployment still serves";

    private static final List<String> FAULTS = List.of("500", "529", "reset", "cut", "evterr", "timeout");

    /** Only a gateway that runs search loops has follow-ups to fail. */
    static final Set<Capability> NEEDS = Set.of(Capability.SEARCH_LOOP);

    private final GatewayPost post;
    private final FakeUpstreams fakes;
    private final GatewayProfile profile;

    LoopFaultKit(String baseUrl, FakeUpstreams fakes, GatewayProfile profile) {
        this.post = new GatewayPost(baseUrl);
        this.fakes = fakes;
        this.profile = profile;
    }

    PropertyJudge.Verdict judge() {
        for (String fault : FAULTS) {
            if (fault.equals("timeout") && !profile.can(Capability.DEPLOYMENT_TIMEOUTS)) {
                continue;
            }
            for (boolean stream : List.of(false, true)) {
                String id = UUID.randomUUID().toString();
                String described = "{fault=" + fault + " on the first follow-up stream=" + stream + " group=solo}";
                Optional<String> violation = ending(fault, stream, id).or(() -> nextServed(id));
                if (violation.isPresent()) {
                    return new PropertyJudge.Verdict(
                            ID, false, "falsified by the case every run judges " + described + ": " + violation.get());
                }
            }
        }
        return new PropertyJudge.Verdict(ID, true, "");
    }

    private Optional<String> ending(String fault, boolean stream, String id) {
        String marker = "kit:1:1:" + id + ":0:0:0:" + fault;
        String body = """
                {"model":"solo","max_tokens":256,%s"metadata":{"user_id":"%s"},
                 "tools":[{"type":"web_search_20250305","name":"web_search","max_uses":3}],
                 "messages":[{"role":"user","content":"%s"}]}""".formatted(
                stream ? "\"stream\":true," : "", marker, KitScript.tagged("Find things for case " + id, marker));
        Optional<HttpResponse<String>> answered = send(body);
        if (answered.isEmpty()) {
            return Optional.of("the gateway closed the connection without an answer");
        }
        HttpResponse<String> response = answered.get();
        boolean sse = response.headers().firstValue("content-type").orElse("").startsWith("text/event-stream");
        if (response.statusCode() == 200 && sse) {
            if (!stream) {
                return Optional.of("a JSON request was answered with an event stream");
            }
            if (response.body().contains("event: message_stop")) {
                return Optional.of("the stream ended with message_stop, as a success, after its follow-up failed");
            }
            return response.body().contains("event: error")
                    ? Optional.empty()
                    : Optional.of("the stream stopped without event: error: a truncated answer");
        }
        if (response.statusCode() == 200) {
            return Optional.of("HTTP 200 after the follow-up failed: " + shorten(response.body()));
        }
        Optional<String> shape = GatewayPost.notAnAnthropicError(response.body());
        if (shape.isPresent()) {
            return Optional.of("HTTP " + response.statusCode() + ", " + shorten(shape.get()));
        }
        int expected = switch (fault) {
            case "500" -> 500;
            case "529", "evterr" -> 529;
            default -> 0;
        };
        if (expected != 0 && response.statusCode() != expected) {
            return Optional.of("HTTP " + response.statusCode() + ", expected the deployment's own " + expected);
        }
        boolean timedOut = fault.equals("timeout") && response.statusCode() == 408;
        if (expected == 0 && response.statusCode() < 500 && !timedOut) {
            return Optional.of("HTTP " + response.statusCode() + ", expected a 5xx");
        }
        return Optional.empty();
    }

    private Optional<String> nextServed(String id) {
        Optional<HttpResponse<String>> next = send(GatewayPost.ordinaryRequest(FakeUpstreams.SOLO, id));
        if (next.isEmpty()) {
            return Optional.of("the next ordinary request got no answer");
        }
        return next.get().statusCode() == 200
                ? Optional.empty()
                : Optional.of("the next ordinary request got HTTP " + next.get().statusCode() + ": "
                        + shorten(next.get().body()));
    }

    private Optional<HttpResponse<String>> send(String body) {
        return post.send(profile.address(fakes, FakeUpstreams.SOLO, body));
    }

    private static String shorten(String text) {
        String oneLine = text.replaceAll("\\s+", " ");
        return oneLine.length() <= 200 ? oneLine : oneLine.substring(0, 200) + "…";
    }
}
