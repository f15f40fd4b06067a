package dev.keyline.app.operations;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;

/**
 * A deployment ({@code /a}) whose model asks for two searches and then answers, a plain stream, and a SearXNG
 * ({@code /searx}) that finds one page: what the operations tests watch a web-search loop through.
 */
public final class LoopUpstream {

    public static final String LOOP_REQUEST = """
            {"model":"g","max_tokens":64,"messages":[{"role":"user","content":"search"}],
             "tools":[{"type":"web_search_20250305","name":"web_search","max_uses":5}]}""";
    public static final String STREAM_REQUEST = """
            {"model":"g","max_tokens":64,"stream":true,"messages":[{"role":"user","content":"hi"}]}""";

    /** The model list and search engine; {@code %1$s} is the upstream's base URL. */
    public static final String CONFIG = """
            model_list:
              - model_name: g
                litellm_params: {model: anthropic/m, api_base: "%1$s/a", api_key: os.environ/KEY}
                model_info: {id: a}
            search_tools:
              - search_tool_name: searx
                litellm_params: {search_provider: searxng, api_base: "%1$s/searx"}
            """;

    private static final String SEARCH_CALLS = """
            {"id":"msg_t","type":"message","role":"assistant","model":"m","content":[
              {"type":"tool_use","id":"toolu_1","name":"web_search","input":{"query":"keyline gateway"}},
              {"type":"tool_use","id":"toolu_2","name":"web_search","input":{"query":"helidon se"}}],
             "stop_reason":"tool_use","stop_sequence":null,"usage":{"input_tokens":11,"output_tokens":4}}""";
    private static final String ANSWER = """
            {"id":"msg_a","type":"message","role":"assistant","model":"m","content":[{"type":"text","text":"found"}],
             "stop_reason":"end_turn","stop_sequence":null,"usage":{"input_tokens":30,"output_tokens":6}}""";
    private static final String RESULTS = """
            {"results":[{"url":"https://example.org/a","title":"A","content":"about a"}]}""";
    private static final String STREAM = """
            event: message_start
            data: {"type":"message_start","message":{"id":"msg_s","type":"message","role":"assistant","model":"m","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":5,"output_tokens":0}}}

            event: message_delta
            data: {"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},"usage":{"output_tokens":2}}

            event: message_stop
            data: {"type":"message_stop"}

            """;

    private LoopUpstream() {}

    /** The first hop answers with two search calls ({@code request-id: req_upstream_6}), the follow-up with text. */
    public static void stub(WireMockExtension upstream) {
        upstream.stubFor(post(urlPathEqualTo("/a/v1/messages"))
                .atPriority(5)
                .willReturn(aResponse()
                        .withHeader("content-type", "application/json")
                        .withHeader("request-id", "req_upstream_6")
                        .withBody(SEARCH_CALLS)));
        upstream.stubFor(post(urlPathEqualTo("/a/v1/messages"))
                .atPriority(1)
                .withRequestBody(containing("tool_result"))
                .willReturn(aResponse()
                        .withHeader("content-type", "application/json")
                        .withHeader("request-id", "req_upstream_7")
                        .withBody(ANSWER)));
        upstream.stubFor(post(urlPathEqualTo("/a/v1/messages"))
                .atPriority(1)
                .withRequestBody(containing("\"stream\":true"))
                .willReturn(aResponse()
                        .withHeader("content-type", "text/event-stream")
                        .withBody(STREAM)));
        upstream.stubFor(get(urlPathEqualTo("/searx/search"))
                .willReturn(aResponse()
                        .withHeader("content-type", "application/json")
                        .withBody(RESULTS)));
    }
}
