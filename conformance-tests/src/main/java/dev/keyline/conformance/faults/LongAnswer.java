package dev.keyline.conformance.faults;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keyline.conformance.faults.FaultyUpstream.Behaviour;
import dev.keyline.conformance.faults.FaultyUpstream.Exchange;
import dev.keyline.conformance.kit.Prefills;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A streamed answer of many deltas that a model continues from wherever a request's final assistant turn leaves
 * it (Anthropic's prefill), as a real model does: the faults that break a stream after text has reached the client
 * are judged by whether the client ends with this whole text. A continuation whose prefill is not the answer's
 * start, or ends in whitespace (the Messages API refuses that), is answered 400, so a gateway that splices text
 * badly cannot pass.
 */
final class LongAnswer {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** What the deployment does at one of its own deltas. */
    enum Fault {
        /** Answers whole. */
        NONE,
        /** Resets the connection before the delta. */
        CUT,
        /** Sends nothing more and holds the connection. */
        STALL,
        /** Sends an event whose data is not JSON in the delta's place, then goes on. */
        MALFORMED,
        /** Sends an {@code overloaded_error} event and ends the body. */
        OVERLOADED
    }

    private final List<String> deltas;
    private final String text;

    private LongAnswer(List<String> deltas) {
        this.deltas = List.copyOf(deltas);
        this.text = String.join("", deltas);
    }

    /** @return an answer of {@code count} deltas, a word and a space each */
    static LongAnswer of(int count) {
        List<String> deltas = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            deltas.add("word" + i + (i == count ? "." : " "));
        }
        return new LongAnswer(deltas);
    }

    String text() {
        return text;
    }

    /** @return a deployment that answers this text whole, from wherever the request's prefill leaves it */
    Behaviour continuing() {
        return faulty(Fault.NONE, -1);
    }

    /**
     * @param fault what goes wrong
     * @param at    at which delta of the whole answer (from 0), every time the answer gets that far
     * @return a deployment that continues from any prefill, and meets the fault at that point of the answer
     */
    Behaviour faulty(Fault fault, int at) {
        return exchange -> {
            if (!exchange.wantsStream()) {
                exchange.json(200, Answers.message(text, "end_turn"));
                return;
            }
            String prefill = Prefills.of(JSON.readTree(exchange.body()));
            Optional<String> refused = Prefills.refusal(text, prefill);
            if (refused.isPresent()) {
                exchange.json(400, Answers.error("invalid_request_error", refused.get()));
                return;
            }
            Answers.streamHead(exchange, "");
            for (Prefills.Piece rest : Prefills.after(deltas, prefill)) {
                if (rest.index() == at && !meet(fault, exchange)) {
                    return;
                }
                Answers.delta(exchange, rest.text());
            }
            Answers.streamTail(exchange);
        };
    }

    /** @return whether the stream goes on after the fault */
    private static boolean meet(Fault fault, Exchange exchange) throws IOException {
        switch (fault) {
            case NONE -> {
                return true;
            }
            case CUT -> {
                exchange.reset();
                return false;
            }
            case STALL -> {
                exchange.silence();
                return false;
            }
            case MALFORMED -> {
                exchange.event(
                        "content_block_delta",
                        "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_de");
                return true;
            }
            case OVERLOADED -> {
                exchange.event("error", Answers.error("overloaded_error", "Overloaded"));
                exchange.endStream();
                return false;
            }
        }
        return false;
    }

    /**
     * The same answer from an OpenAI-compatible server (chat completions chunks). It continues a final assistant
     * message only when asked to ({@code continue_final_message}, vLLM's field); asked without it, it answers anew
     * after that message, as such servers do.
     *
     * @param fault what goes wrong at delta {@code at} of the whole answer: {@link Fault#CUT}, {@link Fault#STALL},
     *              {@link Fault#MALFORMED}, {@link Fault#OVERLOADED} (an error chunk), or none
     * @param done  whether the stream ends with {@code data: [DONE]} (a whole answer without it is still whole)
     */
    Behaviour chatFaulty(Fault fault, int at, boolean done) {
        return exchange -> {
            JsonNode request = JSON.readTree(exchange.body());
            if (!request.path("stream").asBoolean(false)) {
                exchange.json(
                        200,
                        "{\"id\":\"chatcmpl-fault\",\"object\":\"chat.completion\",\"created\":0,"
                                + "\"model\":\"fault-model\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\","
                                + "\"content\":\"" + text + "\"},\"finish_reason\":\"stop\"}],"
                                + "\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":60,\"total_tokens\":65}}");
                return;
            }
            String prefill = request.path("continue_final_message").asBoolean(false) ? Prefills.of(request) : "";
            if (!text.startsWith(prefill)) {
                exchange.json(
                        400,
                        "{\"error\":{\"message\":\"the final assistant message is not the start of this"
                                + " answer\",\"type\":\"invalid_request_error\"}}");
                return;
            }
            exchange.startStream();
            chunk(exchange, "{\"role\":\"assistant\",\"content\":\"\"}", "null");
            for (Prefills.Piece rest : Prefills.after(deltas, prefill)) {
                if (rest.index() == at) {
                    switch (fault) {
                        case NONE -> {}
                        case CUT -> {
                            exchange.reset();
                            return;
                        }
                        case STALL -> {
                            exchange.silence();
                            return;
                        }
                        case MALFORMED -> exchange.chunk("data: {\"id\":\"chatcmpl-fault\",\"choi\n\n");
                        case OVERLOADED -> {
                            exchange.chunk("data: {\"error\":{\"message\":\"the server is overloaded\","
                                    + "\"type\":\"server_error\",\"code\":\"overloaded\"}}\n\n");
                            exchange.endStream();
                            return;
                        }
                    }
                }
                chunk(exchange, "{\"content\":\"" + rest.text() + "\"}", "null");
            }
            chunk(exchange, "{}", "\"stop\"");
            if (request.path("stream_options").path("include_usage").asBoolean(false)) {
                exchange.chunk("data: {\"id\":\"chatcmpl-fault\",\"object\":\"chat.completion.chunk\",\"created\":0,"
                        + "\"model\":\"fault-model\",\"choices\":[],\"usage\":{\"prompt_tokens\":5,"
                        + "\"completion_tokens\":60,\"total_tokens\":65}}\n\n");
            }
            if (done) {
                exchange.chunk("data: [DONE]\n\n");
            }
            exchange.endStream();
        };
    }

    private static void chunk(Exchange exchange, String delta, String finishReason) throws IOException {
        exchange.chunk("data: {\"id\":\"chatcmpl-fault\",\"object\":\"chat.completion.chunk\",\"created\":0,"
                + "\"model\":\"fault-model\",\"choices\":[{\"index\":0,\"delta\":" + delta + ",\"finish_reason\":"
                + finishReason + "}]}\n\n");
    }

    /**
     * @param reply what the client got
     * @param what  the fault, for the verdict
     * @param limitMs how long the whole answer may take
     * @return PASS for this whole text in one well-formed stream, SAFE for a clear error (half an answer and a retry
     *     mid-turn for the client), FAIL for text lost, doubled or altered in a stream passed off as complete
     */
    Verdict judge(ClientReply reply, String what, long limitMs) {
        if (!reply.everyEventParses()) {
            return Verdict.fail("an event the client cannot parse reached it: " + reply.summary());
        }
        if (reply.status() == 200 && reply.completeStream()) {
            if (!reply.text().equals(text)) {
                return Verdict.fail(what + ": a stream passed off as complete whose text is not the answer ("
                        + reply.text().length() + " characters of " + text.length() + "): " + reply.summary());
            }
            return reply.elapsedMs() <= limitMs
                    ? Verdict.pass(what + ": the whole answer in one message, in " + reply.elapsedMs() + " ms")
                    : Verdict.partial(what + ": the whole answer, but after " + reply.elapsedMs() + " ms");
        }
        if (reply.status() == 200 && reply.errorEvent().isPresent()) {
            return Verdict.safe(
                    what + ": ended with an error event after " + reply.text().length() + " characters of the answer ("
                            + reply.errorEvent().get().data() + ")");
        }
        if (reply.status() >= 400 && reply.anthropicError().isPresent()) {
            return Verdict.safe(what + ": refused with a clear error: " + reply.summary());
        }
        return Verdict.fail(what + ": a stream cut short with no clear end: " + reply.summary());
    }
}
