package dev.keyline.conformance.kit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.UUID;

/**
 * Judges {@code stream-rescue-honest}: a stream whose upstream breaks after text reached the client (its body cut, an
 * {@code overloaded_error} event, an event that is not JSON) either ends whole, as one well-formed message whose text
 * is exactly the model's answer (no text twice, none lost), or ends in {@code event: error}; never a truncated or
 * altered success. The fake model continues any prefix it is given as a prefill (see {@link RescuedAnswer}). Only a
 * gateway that declares {@link Capability#STREAM_RESCUE} is judged, and it must rescue at least one case.
 */
final class StreamRescueKit {

    static final String ID = "stream-rescue-honest";
    static final String TITLE = "a stream that breaks mid-answer ends whole (one message, the exact text) or in"
            + " event: error, never as a truncated success";

    static final Set<Capability> NEEDS = Set.of(Capability.STREAM_RESCUE);

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final GatewayPost post;
    private final FakeUpstreams fakes;
    private final GatewayProfile profile;

    StreamRescueKit(String baseUrl, FakeUpstreams fakes, GatewayProfile profile) {
        this.post = new GatewayPost(baseUrl);
        this.fakes = fakes;
        this.profile = profile;
    }

    /**
     * @param cases the run's cases per property; this property plays half as many (at least five), each a whole
     *              streamed answer, a third of them on the lone deployment (whose rescue waits out its backoff)
     */
    PropertyJudge.Verdict judge(long seed, int cases) {
        Random random = new Random(seed ^ 0x5E5C);
        int rescued = 0;
        int played = Math.max(5, cases / 2);
        for (int i = 0; i < played; i++) {
            String group = random.nextInt(3) == 0 || !fakes.groupNames().contains(FakeUpstreams.SHARED)
                    ? FakeUpstreams.SOLO
                    : FakeUpstreams.SHARED;
            String kind = RescuedAnswer.KINDS.get(random.nextInt(RescuedAnswer.KINDS.size()));
            int at = 1 + random.nextInt(RescuedAnswer.DELTAS - 2);
            String id = UUID.randomUUID().toString().replace("-", "").substring(0, 12);
            String described = "{group=" + group + " fault=" + kind + " at delta " + at + "}";
            Outcome outcome = play(group, "rescue-" + kind + "-" + at, id);
            switch (outcome) {
                case Outcome.Violated violated -> {
                    return new PropertyJudge.Verdict(ID, false, "falsified by " + described + ": " + violated.why());
                }
                case Outcome.Whole whole -> rescued++;
                case Outcome.EndedInError error -> {}
            }
        }
        return rescued > 0
                ? new PropertyJudge.Verdict(ID, true, "")
                : new PropertyJudge.Verdict(
                        ID,
                        false,
                        profile.name() + " declares " + Capability.STREAM_RESCUE.id() + " but rescued none of " + played
                                + " broken streams (each ended in event: error)");
    }

    private sealed interface Outcome {
        record Whole() implements Outcome {}

        record EndedInError() implements Outcome {}

        record Violated(String why) implements Outcome {}
    }

    private Outcome play(String group, String fault, String id) {
        String marker = "kit:0:0:" + id + ":0:0:0:-:" + fault;
        String body = """
                {"model":"%s","max_tokens":512,"stream":true,"metadata":{"user_id":"%s"},
                 "messages":[{"role":"user","content":"%s"}]}""".formatted(group, marker, KitScript.tagged("Tell me everything, case " + id, marker));
        Optional<HttpResponse<String>> answered = post.send(profile.address(fakes, group, body));
        if (answered.isEmpty()) {
            return new Outcome.Violated("the gateway closed the connection without an answer");
        }
        HttpResponse<String> response = answered.get();
        if (response.statusCode() != 200) {
            return GatewayPost.notAnAnthropicError(response.body())
                    .<Outcome>map(why -> new Outcome.Violated("HTTP " + response.statusCode() + ", " + why))
                    .orElseGet(Outcome.EndedInError::new);
        }
        List<JsonNode> events = new ArrayList<>();
        for (String frame : response.body().replace("\r\n", "\n").split("\n\n")) {
            StringBuilder data = new StringBuilder();
            for (String line : frame.split("\n")) {
                if (line.startsWith("data:")) {
                    data.append(line.substring(5).strip());
                }
            }
            if (data.isEmpty()) {
                continue;
            }
            try {
                events.add(MAPPER.readTree(data.toString()));
            } catch (IOException e) {
                return new Outcome.Violated("an event the client cannot parse: " + shorten(data.toString()));
            }
        }
        List<String> types = events.stream().map(e -> e.path("type").asText()).toList();
        if (!types.isEmpty() && types.getLast().equals("error")) {
            return types.contains("message_stop")
                    ? new Outcome.Violated("an error after message_stop: " + types)
                    : new Outcome.EndedInError();
        }
        if (types.isEmpty() || !types.getLast().equals("message_stop")) {
            return new Outcome.Violated("the stream stopped without message_stop or event: error, a truncated"
                    + " answer passed off as whole: " + types);
        }
        return wellFormed(events, types).<Outcome>map(Outcome.Violated::new).orElseGet(() -> {
            String text = text(events);
            String expected = RescuedAnswer.text(id);
            return text.equals(expected)
                    ? new Outcome.Whole()
                    : new Outcome.Violated("a complete stream whose text is not the model's answer: got \""
                            + shorten(text) + "\", the answer is \"" + shorten(expected) + "\"");
        });
    }

    /** @return what breaks the Messages stream grammar, as the SDKs' accumulators hold it, if anything */
    private static Optional<String> wellFormed(List<JsonNode> events, List<String> types) {
        if (!types.getFirst().equals("message_start")
                || types.stream().filter("message_start"::equals).count() != 1) {
            return Optional.of("not exactly one message_start, first: " + types);
        }
        int blocks = 0;
        int open = -1;
        for (JsonNode event : events) {
            switch (event.path("type").asText()) {
                case "content_block_start" -> {
                    if (open != -1 || event.path("index").asInt() != blocks) {
                        return Optional.of("block " + event.path("index").asInt() + " opened out of order: " + types);
                    }
                    open = blocks++;
                }
                case "content_block_delta" -> {
                    if (event.path("index").asInt() != open) {
                        return Optional.of("a delta to block "
                                + event.path("index").asInt() + " while block " + open + " is open: " + types);
                    }
                }
                case "content_block_stop" -> {
                    if (event.path("index").asInt() != open) {
                        return Optional.of("block " + event.path("index").asInt() + " stopped while " + open
                                + " is open: " + types);
                    }
                    open = -1;
                }
                case "message_delta" -> {
                    if (open != -1) {
                        return Optional.of("message_delta with block " + open + " still open: " + types);
                    }
                }
                default -> {}
            }
        }
        return types.stream().filter("message_delta"::equals).count() == 1
                ? Optional.empty()
                : Optional.of("not exactly one message_delta: " + types);
    }

    private static String text(List<JsonNode> events) {
        StringBuilder text = new StringBuilder();
        for (JsonNode event : events) {
            text.append(event.path("content_block").path("text").asText(""));
            text.append(event.path("delta").path("text").asText(""));
        }
        return text.toString();
    }

    private static String shorten(String text) {
        return text.length() <= 160 ? text : text.substring(0, 160) + "…";
    }
}
