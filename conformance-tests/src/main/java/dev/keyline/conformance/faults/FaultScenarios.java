package dev.keyline.conformance.faults;

import static dev.keyline.conformance.faults.Answers.error;

import dev.keyline.conformance.faults.FaultScenario.Deploy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The twenty faults of the crash test on the Anthropic surface, each with the outcome a client should get. The
 * grades: PASS when the client gets what an upstream could give (another deployment's answer, or the upstream's
 * own error) promptly; PARTIAL when correct but slow; SAFE when a clear error stands where an answer was possible;
 * FAIL for a broken, wrong or garbled answer or a hang.
 */
final class FaultScenarios {

    private static final String OVERLOADED = error("overloaded_error", "Overloaded");

    private FaultScenarios() {}

    static List<FaultScenario> all() {
        List<FaultScenario> all = new ArrayList<>();
        all.add(loneWithBackup(
                "rate-limit-retry-after",
                "a lone deployment answers 429 with retry-after: 30; the group has a fallback",
                false,
                (up, t) -> up.on(
                        "rate-limit-retry-after",
                        Answers.status(429, error("rate_limit_error", "slow down"), Map.of("retry-after", "30"))),
                Map.of(),
                3_000));
        all.add(pairFailover(
                "rate-limit-no-retry-after",
                "one of two deployments answers 429 without retry-after",
                false,
                Answers.status(429, error("rate_limit_error", "slow down"), Map.of())));
        all.add(pairFailover(
                "server-error-500",
                "one of two deployments answers 500 to a stream request",
                true,
                Answers.status(500, error("api_error", "Internal server error"), Map.of())));
        all.add(loneError503());
        all.add(loneWithBackup(
                "overloaded-529",
                "a lone deployment answers 529 overloaded to a stream request; the group has a fallback",
                true,
                (up, t) -> up.on("overloaded-529", Answers.status(529, OVERLOADED, Map.of())),
                Map.of(),
                3_000));
        all.add(pairFailover(
                "connection-reset", "one of two deployments resets the connection", false, Answers.reset()));
        all.add(loneWithBackup(
                "silent-upstream",
                "a lone deployment accepts the stream request and never sends a byte; stream_timeout is set",
                true,
                (up, t) -> up.on("silent-upstream", Answers.silent()),
                Map.of("timeout", "30", "stream_timeout", "FIRST_BYTE"),
                -1));
        all.add(loneWithBackup(
                "slow-first-byte",
                "a lone deployment sends its first byte long after stream_timeout",
                true,
                (up, t) -> up.on(
                        "slow-first-byte",
                        Answers.slowFirstByte("slow-first-byte", Duration.ofMillis(t.slowFirstByteMs()))),
                Map.of("timeout", "60", "stream_timeout", "FIRST_BYTE"),
                -2));
        all.add(cutStream());
        all.add(stalledStream());
        all.add(malformedMidStream());
        all.add(pairFailover(
                "malformed-first-event",
                "one of two deployments opens its stream with an event whose data is not JSON",
                true,
                exchange -> {
                    exchange.startStream();
                    exchange.event("message_start", "{\"type\":\"message_start\",\"message\":{\"id\":");
                    exchange.endStream();
                }));
        all.add(missingMessageStop());
        all.add(contextWindow());
        all.add(contentPolicy());
        all.add(prefillRefusal());
        all.add(outage());
        all.add(pairFailover(
                "overloaded-error-event",
                "one of two deployments answers 200 and then an overloaded error event first",
                true,
                exchange -> {
                    exchange.startStream();
                    exchange.event("error", OVERLOADED);
                    exchange.endStream();
                }));
        all.add(clientDisconnect());
        all.add(searchFollowUpFails());
        return all;
    }

    /**
     * The faults of an OpenAI-compatible upstream's chat completions stream (cut chunks, an error chunk, a chunk that
     * is not JSON, a missing {@code [DONE]}), judged on either door: the answer is whole when a group mate can
     * continue a final assistant message, and ends in an error when none can, never spliced from a fresh answer.
     */
    static List<FaultScenario> openAiUpstream() {
        return List.of(
                openAiPair(
                        "openai-cut-chunks",
                        "one of two OpenAI-compatible deployments cuts its stream after 40 of 60 content chunks; the"
                                + " other continues a final assistant message (continue_final_message)",
                        LongAnswer.Fault.CUT,
                        40,
                        true),
                openAiPair(
                        "openai-error-chunk",
                        "one of two OpenAI-compatible deployments sends an error chunk after 20 of 60 content chunks;"
                                + " the other can continue",
                        LongAnswer.Fault.OVERLOADED,
                        20,
                        true),
                openAiPair(
                        "openai-malformed-chunk",
                        "one of two OpenAI-compatible deployments sends a chunk that is not JSON as its 11th, then goes"
                                + " on; the other can continue",
                        LongAnswer.Fault.MALFORMED,
                        9,
                        true),
                openAiPair(
                        "openai-mate-cannot-continue",
                        "one of two OpenAI-compatible deployments cuts its stream after 40 of 60 content chunks; the"
                                + " other cannot continue an answer (no continue_final_message)",
                        LongAnswer.Fault.CUT,
                        40,
                        false),
                openAiDoneMissing());
    }

    private static final String OPENAI_MODEL = "openai/fault-model";

    private static FaultScenario openAiPair(
            String id, String fault, LongAnswer.Fault kind, int at, boolean mateContinues) {
        String bad = id + "-a";
        String mate = id + "-b";
        Map<String, String> mateSettings = mateContinues
                ? Map.of("model", OPENAI_MODEL, "order", "2", "continue_final_message", "true")
                : Map.of("model", OPENAI_MODEL, "order", "2");
        return new FaultScenario(
                id,
                fault,
                List.of(
                        new Deploy(id, bad, Map.of("model", OPENAI_MODEL, "order", "1")),
                        new Deploy(id, mate, mateSettings)),
                Map.of(),
                Map.of(),
                (up, tempo) -> up.on(bad, SIXTY.chatFaulty(kind, at, true))
                        .on(mate, SIXTY.chatFaulty(LongAnswer.Fault.NONE, -1, true)),
                stage -> {
                    Verdict verdict = SIXTY.judge(stage.call(id, true), id, 3_000);
                    // Without a mate that continues, an honest error is the best any gateway can do mid-answer.
                    return !mateContinues && verdict.grade() == Verdict.Grade.SAFE
                            ? Verdict.pass("no deployment can continue: " + verdict.detail())
                            : verdict;
                });
    }

    private static FaultScenario openAiDoneMissing() {
        String id = "openai-done-missing";
        return new FaultScenario(
                id,
                "a lone OpenAI-compatible deployment sends a whole answer (finish_reason, usage) and closes without"
                        + " data: [DONE]",
                List.of(new Deploy(id, id, Map.of("model", OPENAI_MODEL))),
                Map.of(),
                Map.of(),
                (up, tempo) -> up.on(id, SIXTY.chatFaulty(LongAnswer.Fault.NONE, -1, false)),
                stage -> SIXTY.judge(stage.call(id, true), "a whole answer without [DONE]", 3_000));
    }

    /** A lone deployment with a fault, a fallback group that answers: the fallback should serve. */
    private static FaultScenario loneWithBackup(
            String id,
            String fault,
            boolean stream,
            FaultScenario.Setup setup,
            Map<String, String> settings,
            long limitMs) {
        String backup = id + "-backup";
        return new FaultScenario(
                id,
                fault,
                List.of(new Deploy(id, id, settings), new Deploy(backup, backup)),
                Map.of(id, List.of(backup)),
                Map.of(),
                (up, tempo) -> {
                    setup.teach(up, tempo);
                    up.on(backup, Answers.ok(backup));
                },
                stage -> {
                    // -1: within stream_timeout and a margin; -2: before the slow first byte would have come.
                    long limit = limitMs == -1
                            ? (long) (stage.tempo().firstByteSeconds() * 1000) + 2_000
                            : limitMs == -2 ? stage.tempo().slowFirstByteMs() : limitMs;
                    ClientReply reply = stage.call(id, stream);
                    return servedBy(reply, backup, stream, limit);
                });
    }

    /** Two deployments in one group, the first faulty: the second should serve. */
    private static FaultScenario pairFailover(
            String id, String fault, boolean stream, FaultyUpstream.Behaviour faulty) {
        String bad = id + "-a";
        String good = id + "-b";
        return new FaultScenario(
                id,
                fault,
                List.of(new Deploy(id, bad, Map.of("order", "1")), new Deploy(id, good, Map.of("order", "2"))),
                Map.of(),
                Map.of(),
                (up, tempo) -> up.on(bad, faulty).on(good, Answers.ok(good)),
                stage -> servedBy(stage.call(id, stream), good, stream, 3_000));
    }

    private static Verdict servedBy(ClientReply reply, String behaviour, boolean stream, long limitMs) {
        boolean whole = stream ? reply.completeStream() : reply.status() == 200;
        if (reply.status() == 200 && whole && reply.text().contains("fine from " + behaviour)) {
            return reply.elapsedMs() <= limitMs
                    ? Verdict.pass(behaviour + " served in " + reply.elapsedMs() + " ms")
                    : Verdict.partial(
                            behaviour + " served, but after " + reply.elapsedMs() + " ms (limit " + limitMs + " ms)");
        }
        if (reply.status() == 200 && whole && reply.text().startsWith("fine from ")) {
            return Verdict.partial("answered by the faulty deployment after " + reply.elapsedMs() + " ms, not by "
                    + behaviour + ": " + reply.text());
        }
        if (reply.status() >= 400 && reply.anthropicError().isPresent()) {
            return Verdict.safe("a clear error where " + behaviour + " could answer: " + reply.summary());
        }
        return Verdict.fail("expected " + behaviour + "'s answer: " + reply.summary());
    }

    private static FaultScenario loneError503() {
        String id = "unavailable-503-lone";
        return new FaultScenario(
                id,
                "the only deployment of a group without fallbacks answers 503",
                List.of(new Deploy(id, id)),
                Map.of(),
                Map.of(),
                (up, tempo) -> up.on(id, Answers.status(503, error("api_error", "upstream unavailable"), Map.of())),
                stage -> {
                    ClientReply reply = stage.call(id, false);
                    if (reply.status() == 503
                            && reply.anthropicError()
                                    .map(e -> e[1].contains("upstream unavailable"))
                                    .orElse(false)) {
                        return reply.elapsedMs() <= 5_000
                                ? Verdict.pass("its own 503 after retries, in " + reply.elapsedMs() + " ms")
                                : Verdict.partial("its own 503, after " + reply.elapsedMs() + " ms");
                    }
                    return Verdict.fail("expected the deployment's own 503: " + reply.summary());
                });
    }

    /** Sixty deltas: long enough that a break after forty leaves the client most of an answer. */
    private static final LongAnswer SIXTY = LongAnswer.of(60);

    private static FaultScenario cutStream() {
        String id = "cut-stream";
        String cut = id + "-a";
        String mate = id + "-b";
        return new FaultScenario(
                id,
                "one of two deployments cuts its stream after 40 of 60 text deltas; the other can continue it",
                List.of(new Deploy(id, cut, Map.of("order", "1")), new Deploy(id, mate, Map.of("order", "2"))),
                Map.of(),
                Map.of(),
                (up, tempo) ->
                        up.on(cut, SIXTY.faulty(LongAnswer.Fault.CUT, 40)).on(mate, SIXTY.continuing()),
                stage -> SIXTY.judge(stage.call(id, true), "a cut stream", 3_000));
    }

    private static FaultScenario stalledStream() {
        String id = "stalled-stream";
        String backup = id + "-backup";
        return new FaultScenario(
                id,
                "a lone deployment's stream stalls after 40 of 60 text deltas (its timeout is short); its fallback"
                        + " can continue it",
                List.of(new Deploy(id, id, Map.of("timeout", "STALL")), new Deploy(backup, backup)),
                Map.of(id, List.of(backup)),
                Map.of(),
                (up, tempo) ->
                        up.on(id, SIXTY.faulty(LongAnswer.Fault.STALL, 40)).on(backup, SIXTY.continuing()),
                stage -> SIXTY.judge(
                        stage.call(id, true),
                        "a stalled stream",
                        (long) (stage.tempo().stallSeconds() * 1000) + 3_000));
    }

    private static FaultScenario malformedMidStream() {
        String id = "malformed-mid-stream";
        String bad = id + "-a";
        String mate = id + "-b";
        return new FaultScenario(
                id,
                "one of two deployments sends a 10th event whose data is not JSON, then goes on; the other can"
                        + " continue the answer",
                List.of(new Deploy(id, bad, Map.of("order", "1")), new Deploy(id, mate, Map.of("order", "2"))),
                Map.of(),
                Map.of(),
                // message_start, the block's start and seven deltas: the eighth delta is the tenth event.
                (up, tempo) ->
                        up.on(bad, SIXTY.faulty(LongAnswer.Fault.MALFORMED, 7)).on(mate, SIXTY.continuing()),
                stage -> SIXTY.judge(stage.call(id, true), "a malformed event", 3_000));
    }

    private static Verdict endsInError(ClientReply reply, String what) {
        if (!reply.everyEventParses()) {
            return Verdict.fail("an event the client cannot parse reached it: " + reply.summary());
        }
        if (reply.status() == 200 && reply.errorEvent().isPresent()) {
            return Verdict.pass(what + " ends with an error event the client can read, after " + reply.elapsedMs()
                    + " ms: " + reply.errorEvent().get().data());
        }
        if (reply.status() >= 400 && reply.anthropicError().isPresent()) {
            return Verdict.pass(what + " refused before its first byte: " + reply.summary());
        }
        return Verdict.fail(what + " passed off as complete, or no clear end: " + reply.summary());
    }

    private static FaultScenario missingMessageStop() {
        String id = "missing-message-stop";
        return lone(
                id,
                "a whole answer (deltas, stop reason, usage) whose stream closes cleanly without message_stop",
                Map.of(),
                exchange -> {
                    Answers.streamHead(exchange, "fine from " + id);
                    Answers.streamEndWithoutStop(exchange);
                    exchange.endStream();
                },
                stage -> {
                    ClientReply reply = stage.call(id, true);
                    return reply.completeStream() && reply.text().contains("fine from " + id)
                            ? Verdict.pass("finished with message_stop; the whole answer kept")
                            : Verdict.fail("a complete answer not finished: " + reply.summary());
                });
    }

    private static FaultScenario contextWindow() {
        String id = "context-window-400";
        String longer = id + "-long";
        return new FaultScenario(
                id,
                "the deployment refuses a prompt too long for it; context_window_fallbacks names a longer model",
                List.of(new Deploy(id, id), new Deploy(longer, longer)),
                Map.of(),
                Map.of(id, List.of(longer)),
                (up, tempo) -> up.on(
                                id,
                                Answers.status(
                                        400,
                                        error(
                                                "invalid_request_error",
                                                "prompt is too long: 215000 tokens > 200000 maximum"),
                                        Map.of()))
                        .on(longer, Answers.ok(longer)),
                stage -> servedBy(stage.call(id, false), longer, false, 3_000));
    }

    private static FaultScenario contentPolicy() {
        String id = "content-policy-400";
        String backup = id + "-backup";
        return new FaultScenario(
                id,
                "the model refuses on content policy; the group has general fallbacks but no content_policy_fallbacks",
                List.of(new Deploy(id, id), new Deploy(backup, backup)),
                Map.of(id, List.of(backup)),
                Map.of(),
                (up, tempo) -> up.on(
                                id,
                                Answers.status(
                                        400,
                                        error("invalid_request_error", "Output blocked by content filtering policy"),
                                        Map.of()))
                        .on(backup, Answers.ok(backup)),
                stage -> {
                    ClientReply reply = stage.call(id, false);
                    if (reply.text().contains("fine from " + backup)) {
                        return Verdict.fail("another model answered instead of the refusal");
                    }
                    return reply.status() == 400
                                    && reply.anthropicError()
                                            .map(e -> e[1].contains("content filtering"))
                                            .orElse(false)
                                    && stage.upstream().exchanges(backup).isEmpty()
                            ? Verdict.pass("the refusal returned as it came; the fallback not asked")
                            : Verdict.fail("expected the refusal: " + reply.summary());
                });
    }

    private static FaultScenario prefillRefusal() {
        String id = "prefill-refusal";
        String cut = "prefill-cut";
        return new FaultScenario(
                id,
                "a deployment refuses assistant prefill with 400, three requests in a row; then a lone deployment's"
                        + " stream is cut after 40 of 60 deltas, and its only fallback is the one that refuses prefill",
                List.of(new Deploy(id, id), new Deploy(cut, cut)),
                Map.of(cut, List.of(id)),
                Map.of(),
                (up, tempo) -> up.on(
                                id,
                                Answers.status(
                                        400,
                                        error(
                                                "invalid_request_error",
                                                "This model does not support assistant message prefill"),
                                        Map.of()))
                        .on(cut, SIXTY.faulty(LongAnswer.Fault.CUT, 40)),
                stage -> {
                    for (int i = 0; i < 3; i++) {
                        ClientReply reply = stage.call(id, false);
                        if (reply.status() != 400
                                || !reply.anthropicError()
                                        .map(e -> e[1].contains("prefill"))
                                        .orElse(false)) {
                            return Verdict.fail("expected the deployment's own 400: " + reply.summary());
                        }
                    }
                    int calls = stage.upstream().exchanges(id).size();
                    boolean cooled = stage.cooldowns().contains(id);
                    ClientReply cutReply = stage.call(cut, true);
                    Verdict cutVerdict = SIXTY.judge(cutReply, "a cut stream whose fallback refuses prefill", 5_000);
                    if (cutReply.body().contains("does not support assistant message prefill")) {
                        return Verdict.fail("the fallback's refusal of the gateway's prefill reached the client,"
                                + " instead of the stream's own failure: " + cutReply.summary());
                    }
                    if (cutVerdict.grade() == Verdict.Grade.FAIL) {
                        return cutVerdict;
                    }
                    if (calls != 3) {
                        return Verdict.partial("its 400 returned, but " + calls + " upstream calls for 3 requests");
                    }
                    if (cooled) {
                        return Verdict.partial(
                                "its 400 returned, but the deployment was cooled for the client's error");
                    }
                    return Verdict.pass("its own 400 each time, one call each, never cooled; the cut stream ended"
                            + " with its own failure, not the refusal (" + cutVerdict.detail() + ")");
                });
    }

    private static FaultScenario outage() {
        String id = "outage";
        String backup = id + "-backup";
        AtomicBoolean down = new AtomicBoolean();
        return new FaultScenario(
                id,
                "a lone primary with a fallback answers 503 for the whole outage, then recovers",
                List.of(new Deploy(id, id, Map.of("cooldown_time", "1")), new Deploy(backup, backup)),
                Map.of(id, List.of(backup)),
                Map.of(),
                (up, tempo) -> up.on(id, exchange -> {
                            if (down.get()) {
                                exchange.json(503, error("api_error", "down for maintenance"));
                            } else {
                                Answers.ok(id).answer(exchange);
                            }
                        })
                        .on(backup, Answers.ok(backup)),
                stage -> {
                    down.set(true);
                    long outageEnds = System.nanoTime() + stage.tempo().outageSeconds() * 1_000_000_000L;
                    List<Long> latencies = new ArrayList<>();
                    int failed = 0;
                    while (System.nanoTime() < outageEnds) {
                        ClientReply reply = stage.call(id, false);
                        latencies.add(reply.elapsedMs());
                        if (reply.status() != 200) {
                            failed++;
                        }
                        Thread.sleep(100);
                    }
                    down.set(false);
                    int probes = stage.upstream().exchanges(id).size();
                    long recovered = System.nanoTime();
                    long backAfterMs = -1;
                    while (Stage.millisSince(recovered) < 10_000) {
                        ClientReply reply = stage.call(id, false);
                        if (reply.text().contains("fine from " + id)) {
                            backAfterMs = Stage.millisSince(recovered);
                            break;
                        }
                        Thread.sleep(100);
                    }
                    List<Long> sorted = latencies.stream().sorted().toList();
                    long median = sorted.get(sorted.size() / 2);
                    String figures = latencies.size() + " requests during the outage, " + failed
                            + " failed, median " + median + " ms, slowest " + sorted.getLast()
                            + " ms; the primary was asked " + probes + " times during it (cooldown_time 1 s) and served"
                            + " again " + backAfterMs + " ms after it recovered";
                    if (failed > 0 || backAfterMs < 0) {
                        return Verdict.fail(figures);
                    }
                    return median <= 200 && backAfterMs <= 3_000 ? Verdict.pass(figures) : Verdict.partial(figures);
                });
    }

    private static FaultScenario clientDisconnect() {
        String id = "client-disconnect";
        return lone(
                id,
                "the client leaves after three events of an endless stream",
                Map.of(),
                exchange -> {
                    Answers.streamHead(exchange, "and ");
                    exchange.watchForClose();
                    long until = System.nanoTime() + FaultyUpstream.HOLD_LIMIT.toNanos();
                    while (System.nanoTime() < until) {
                        Thread.sleep(50);
                        Answers.delta(exchange, "on ");
                    }
                },
                stage -> {
                    long left = stage.leaveAfter(id, 3);
                    if (left < 0) {
                        return Verdict.fail("the stream ended before three events");
                    }
                    long deadline = left + 5_000_000_000L;
                    while (System.nanoTime() < deadline) {
                        List<FaultyUpstream.Exchange> exchanges =
                                stage.upstream().exchanges(id);
                        long closed =
                                exchanges.isEmpty() ? 0 : exchanges.getLast().closedAtNanos();
                        if (closed != 0) {
                            long ms = Math.max(0, (closed - left) / 1_000_000);
                            return ms <= 1_000
                                    ? Verdict.pass("the upstream connection closed " + ms + " ms after the client left")
                                    : Verdict.partial("the upstream connection closed only " + ms + " ms after");
                        }
                        Thread.sleep(10);
                    }
                    return Verdict.fail("the upstream connection was still open 5 s after the client left");
                });
    }

    private static FaultScenario searchFollowUpFails() {
        String id = "search-follow-up-500";
        return new FaultScenario(
                id,
                "a streamed web-search loop: the first hop asks for a search, the follow-up answers 500",
                List.of(new Deploy(id, id, Map.of("websearch_interception", "true"))),
                Map.of(),
                Map.of(),
                (up, tempo) -> up.on(id, exchange -> {
                            if (exchange.body().contains("tool_result")) {
                                exchange.json(500, error("api_error", "the follow-up exploded on purpose"));
                                return;
                            }
                            exchange.startStream();
                            exchange.event(
                                    "message_start",
                                    "{\"type\":\"message_start\",\"message\":{\"id\":\"msg_s\",\"type\":\"message\","
                                            + "\"role\":\"assistant\",\"model\":\"fault-model\",\"content\":[],"
                                            + "\"stop_reason\":null,\"stop_sequence\":null,"
                                            + "\"usage\":{\"input_tokens\":5,\"output_tokens\":1}}}");
                            exchange.event(
                                    "content_block_start",
                                    "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":"
                                            + "\"tool_use\",\"id\":\"toolu_f1\",\"name\":\"web_search\",\"input\":{}}}");
                            exchange.event(
                                    "content_block_delta",
                                    "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":"
                                            + "\"input_json_delta\",\"partial_json\":\"{\\\"query\\\":\\\"java 25\\\"}\"}}");
                            exchange.event("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}");
                            exchange.event(
                                    "message_delta",
                                    "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"tool_use\","
                                            + "\"stop_sequence\":null},\"usage\":{\"output_tokens\":9}}");
                            exchange.event("message_stop", "{\"type\":\"message_stop\"}");
                            exchange.endStream();
                        })
                        .on(
                                "searxng",
                                exchange -> exchange.json(
                                        200,
                                        "{\"results\":[{\"url\":\"https://openjdk.example/25\",\"title\":\"JDK 25\","
                                                + "\"content\":\"JDK 25 is out.\"}]}")),
                stage -> {
                    ClientReply reply = stage.callWithSearch(id, true);
                    if (!reply.everyEventParses()) {
                        return Verdict.fail("an event the client cannot parse: " + reply.summary());
                    }
                    return reply.errorEvent()
                                    .map(e -> e.data().contains("the follow-up exploded on purpose")
                                            && e.data().contains("api_error"))
                                    .orElse(false)
                            ? Verdict.pass("the stream ends with the deployment's own error: "
                                    + reply.errorEvent().get().data())
                            : reply.errorEvent().isPresent()
                                    ? Verdict.safe("an error event, but not the deployment's: "
                                            + reply.errorEvent().get().data())
                                    : Verdict.fail("expected an error event: " + reply.summary());
                });
    }

    private static FaultScenario lone(
            String id,
            String fault,
            Map<String, String> settings,
            FaultyUpstream.Behaviour behaviour,
            FaultScenario.Play play) {
        return new FaultScenario(
                id,
                fault,
                List.of(new Deploy(id, id, settings)),
                Map.of(),
                Map.of(),
                (up, tempo) -> up.on(id, behaviour),
                play);
    }
}
