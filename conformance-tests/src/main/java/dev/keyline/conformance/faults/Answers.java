package dev.keyline.conformance.faults;

import dev.keyline.conformance.faults.FaultyUpstream.Behaviour;
import dev.keyline.conformance.faults.FaultyUpstream.Exchange;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;

/** The faulty upstream's repertoire: good answers that name who gave them, and each way of failing. */
final class Answers {

    private Answers() {}

    static String message(String text, String stopReason) {
        return "{\"id\":\"msg_fault\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"fault-model\","
                + "\"content\":[{\"type\":\"text\",\"text\":\"" + text + "\"}],\"stop_reason\":\"" + stopReason
                + "\",\"stop_sequence\":null,\"usage\":{\"input_tokens\":5,\"output_tokens\":3}}";
    }

    static String error(String type, String message) {
        return "{\"type\":\"error\",\"error\":{\"type\":\"" + type + "\",\"message\":\"" + message + "\"}}";
    }

    /** Answers well, JSON or stream as asked; the text says who answered. */
    static Behaviour ok(String name) {
        return exchange -> {
            if (exchange.wantsStream()) {
                streamHead(exchange, "fine from " + name);
                streamTail(exchange);
            } else {
                exchange.json(200, message("fine from " + name, "end_turn"));
            }
        };
    }

    static Behaviour status(int status, String body, Map<String, String> headers) {
        return exchange -> exchange.json(status, body, headers);
    }

    static Behaviour reset() {
        return Exchange::reset;
    }

    static Behaviour silent() {
        return Exchange::silence;
    }

    /** Answers well, after keeping the gateway waiting for its first byte. */
    static Behaviour slowFirstByte(String name, Duration delay) {
        return exchange -> {
            Thread.sleep(delay);
            ok(name).answer(exchange);
        };
    }

    /** Everything up to and including the text's first delta. */
    static void streamHead(Exchange exchange, String text) throws IOException {
        exchange.startStream();
        exchange.event(
                "message_start",
                "{\"type\":\"message_start\",\"message\":{\"id\":\"msg_fault\",\"type\":\"message\","
                        + "\"role\":\"assistant\",\"model\":\"fault-model\",\"content\":[],\"stop_reason\":null,"
                        + "\"stop_sequence\":null,\"usage\":{\"input_tokens\":5,\"output_tokens\":1}}}");
        exchange.event(
                "content_block_start",
                "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}");
        delta(exchange, text);
    }

    static void delta(Exchange exchange, String text) throws IOException {
        exchange.event(
                "content_block_delta",
                "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"" + text
                        + "\"}}");
    }

    /** The block's end and the message's, without {@code message_stop}. */
    static void streamEndWithoutStop(Exchange exchange) throws IOException {
        exchange.event("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}");
        exchange.event(
                "message_delta",
                "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\",\"stop_sequence\":null},"
                        + "\"usage\":{\"output_tokens\":3}}");
    }

    static void streamTail(Exchange exchange) throws IOException {
        streamEndWithoutStop(exchange);
        exchange.event("message_stop", "{\"type\":\"message_stop\"}");
        exchange.endStream();
    }
}
