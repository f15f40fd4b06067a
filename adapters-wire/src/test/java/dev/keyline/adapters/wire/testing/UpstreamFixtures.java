package dev.keyline.adapters.wire.testing;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;

/** Bodies an Anthropic-compatible upstream answers with. */
public final class UpstreamFixtures {

    public static final String MESSAGE = """
            {"id":"msg_01","type":"message","role":"assistant","model":"kimi-k2.5",
             "content":[{"type":"text","text":"Hello!"}],"stop_reason":"end_turn","stop_sequence":null,
             "usage":{"input_tokens":12,"output_tokens":3}}""";

    public static final String UNAUTHORIZED = """
            {"type":"error","error":{"type":"authentication_error","message":"invalid x-api-key"}}""";

    private UpstreamFixtures() {}

    /** A complete text stream, as Anthropic frames it. */
    public static String stream(String text) {
        return event("message_start", """
                {"type":"message_start","message":{"id":"msg_01","type":"message","role":"assistant","content":[],\
                "model":"kimi-k2.5","stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":12,"output_tokens":1}}}""")
                + event(
                        "content_block_start",
                        "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}")
                + event("ping", "{\"type\": \"ping\"}")
                + event(
                        "content_block_delta",
                        "{\"type\":\"content_block_delta\",\"index\":0,"
                                + "\"delta\":{\"type\":\"text_delta\",\"text\":\"" + text + "\"}}")
                + event("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}")
                + event(
                        "message_delta",
                        "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\","
                                + "\"stop_sequence\":null},\"usage\":{\"output_tokens\":3}}")
                + event("message_stop", "{\"type\":\"message_stop\"}");
    }

    /** The same stream cut off before {@code message_stop}. */
    public static String cutStream() {
        String whole = stream("Hel");
        return whole.substring(0, whole.indexOf("event: content_block_stop"));
    }

    /**
     * Makes {@code upstream} answer every Messages call on {@code path} as Anthropic does: {@link #MESSAGE} to a JSON
     * request, a stream of {@code streamedText} to one that accepts an event stream.
     */
    public static void answerMessages(WireMockExtension upstream, String path, String streamedText) {
        upstream.stubFor(post(path)
                .withHeader("accept", equalTo("application/json"))
                .willReturn(aResponse()
                        .withHeader("content-type", "application/json")
                        .withBody(MESSAGE)));
        upstream.stubFor(post(path)
                .withHeader("accept", equalTo("text/event-stream"))
                .willReturn(aResponse()
                        .withHeader("content-type", "text/event-stream")
                        .withBody(stream(streamedText))));
    }

    public static String event(String name, String data) {
        return "event: " + name + "\ndata: " + data + "\n\n";
    }
}
