package dev.keyline.conformance.kit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.http.Request;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Answers like a third-party Anthropic-compatible model: checks its own key, refuses server tools, and follows the
 * case script the client's own text carries ({@code kit:<rounds>:<perRound>:<id>…}, see {@link KitScript}): it calls
 * the search tool {@code perRound} times per turn until it has seen {@code rounds} rounds of results, then answers.
 * Usage is a function of the hop number, so the kit can sum it.
 */
final class ScriptedModelTransformer implements ResponseDefinitionTransformerV2 {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    /** Cases whose injected fault has fired: it fires once, at whichever deployment the case reaches first. */
    private static final Set<String> FAULTED = ConcurrentHashMap.newKeySet();

    private final String key;
    private final String name;
    private final boolean bearer;
    /** It speaks OpenAI's chat completions (as vLLM does) and refuses anything Anthropic-shaped. */
    private final boolean chat;

    /** Whose cloud the deployment plays: what authenticates a call, where the model is, how streams travel. */
    private final FakeDeployment.Cloud cloud;
    /** The key a request presented, as the deployment's cloud sees it ({@link FakeDeployment#presentedKey}). */
    private final Function<Request, String> presented;

    ScriptedModelTransformer(
            String name,
            String key,
            boolean bearer,
            boolean chat,
            FakeDeployment.Cloud cloud,
            Function<Request, String> presented) {
        this.name = name;
        this.key = key;
        this.bearer = bearer;
        this.chat = chat;
        this.cloud = cloud;
        this.presented = presented;
    }

    @Override
    public String getName() {
        return "scripted-model-" + name;
    }

    @Override
    public ResponseDefinition transform(ServeEvent event) {
        ResponseDefinition answer = answer(event);
        // Bedrock streams in AWS's binary event stream: the same events, framed as Bedrock frames them.
        return cloud == FakeDeployment.Cloud.BEDROCK ? BedrockFrames.of(answer) : answer;
    }

    private ResponseDefinition answer(ServeEvent event) {
        if (!key.equals(presented.apply(event.getRequest()))) {
            return switch (cloud) {
                case NONE, VERTEX ->
                    json(
                            401,
                            "{\"type\":\"error\",\"error\":{\"type\":\"authentication_error\","
                                    + "\"message\":\"invalid x-api-key\"}}");
                case BEDROCK ->
                    new ResponseDefinitionBuilder()
                            .withStatus(403)
                            .withHeader("content-type", "application/json")
                            .withHeader("x-amzn-ErrorType", "UnrecognizedClientException:http://internal.amazon.com/")
                            .withBody("{\"message\":\"The security token included in the request is invalid.\"}")
                            .build();
            };
        }
        String url = event.getRequest().getUrl();
        switch (cloud) {
            case BEDROCK -> {
                if (url.endsWith("/count-tokens")) {
                    return json(200, "{\"inputTokens\":42}");
                }
            }
            case VERTEX -> {
                if (url.endsWith("/count-tokens:rawPredict")) {
                    return json(200, "{\"input_tokens\":42}");
                }
            }
            case NONE -> {
                if (url.endsWith("/count_tokens")) {
                    // Anthropic's count endpoint; a chat completions server has none.
                    return chat
                            ? json(404, "{\"error\":{\"message\":\"not found\",\"type\":\"invalid_request_error\"}}")
                            : json(200, "{\"input_tokens\":42}");
                }
            }
        }
        JsonNode request;
        try {
            request = MAPPER.readTree(event.getRequest().getBodyAsString());
        } catch (IOException e) {
            return json(
                    400,
                    "{\"type\":\"error\",\"error\":{\"type\":\"invalid_request_error\",\"message\":\"not JSON\"}}");
        }
        if (cloud != FakeDeployment.Cloud.NONE) {
            String refused = notTheCloudsBody(request);
            if (refused != null) {
                return json(400, "{\"message\":\"Malformed input request: " + refused + "\"}");
            }
            // What the cloud took from the path, as an Anthropic model reads it from the body.
            ObjectNode read = ((ObjectNode) request).deepCopy();
            read.put("model", modelInPath(url));
            if (url.endsWith("/invoke-with-response-stream")) {
                read.put("stream", true);
            }
            request = read;
        }
        if (chat) {
            String refused = ChatShapes.notChat(request);
            if (refused != null || !event.getRequest().getUrl().endsWith("/chat/completions")) {
                return json(
                        400,
                        "{\"error\":{\"message\":\"not a chat completions request: "
                                + (refused == null ? "path" : refused.replace("\"", "'"))
                                + "\",\"type\":\"invalid_request_error\"}}");
            }
        }
        if (carriesServerBlocks(request)) {
            return json(
                    400,
                    "{\"type\":\"error\",\"error\":{\"type\":\"invalid_request_error\","
                            + "\"message\":\"messages: unknown content block type server_tool_use\"}}");
        }
        for (JsonNode tool : request.path("tools")) {
            if (!tool.path("type").asText("custom").equals(chat ? "function" : "custom")) {
                return json(
                        400,
                        "{\"type\":\"error\",\"error\":{\"type\":\"invalid_request_error\","
                                + "\"message\":\"server tools are not supported here\"}}");
            }
        }
        String[] script = KitScript.of(request).split(":");
        int rounds = Integer.parseInt(script[1]);
        int perRound = Integer.parseInt(script[2]);
        String caseId = script[3];
        String failWith = script.length > 4 ? script[4] : "0";
        boolean faultOnce = script.length > 5 && script[5].equals("1") && FAULTED.add(caseId);
        boolean clientTool = script.length > 6 && script[6].equals("1");
        if (faultOnce) {
            return new ResponseDefinitionBuilder()
                    .withStatus(429)
                    .withHeader("content-type", "application/json")
                    .withHeader("retry-after", "0")
                    .withBody(
                            "{\"type\":\"error\",\"error\":{\"type\":\"rate_limit_error\",\"message\":\"slow down\"}}")
                    .build();
        }
        if (!failWith.equals("0")) {
            return fault(failWith);
        }
        String rescue = script.length > 8 ? script[8] : "-";
        if (!rescue.equals("-") && request.path("stream").asBoolean(false)) {
            return rescued(request, caseId, rescue);
        }
        int hop = hopNumber(request);
        String loopFault = script.length > 7 ? script[7] : "-";
        if (hop >= 1 && !loopFault.equals("-")) {
            return loopFault(loopFault, request.path("stream").asBoolean(false), hop);
        }
        boolean search = hop < rounds && request.path("tools").toString().contains("\"web_search\"");
        ObjectNode message = MAPPER.createObjectNode();
        message.put("id", "msg_" + name + "_" + hop)
                .put("type", "message")
                .put("role", "assistant")
                .put("model", request.path("model").asText());
        ArrayNode content = message.putArray("content");
        content.addObject().put("type", "text").put("text", "hop " + hop);
        if (search) {
            for (int i = 0; i < perRound; i++) {
                ObjectNode use = content.addObject()
                        .put("type", "tool_use")
                        .put("id", "toolu_" + hop + "_" + i)
                        .put("name", "web_search");
                use.putObject("input").put("query", "query " + caseId + " " + hop + "-" + i);
            }
        }
        if (search && clientTool) {
            content.addObject()
                    .put("type", "tool_use")
                    .put("id", "toolu_client_" + hop)
                    .put("name", "get_weather")
                    .putObject("input")
                    .put("city", "Oslo");
        }
        message.put("stop_reason", search ? "tool_use" : "end_turn").putNull("stop_sequence");
        message.putObject("usage").put("input_tokens", Usage.input(hop)).put("output_tokens", Usage.output(hop));
        if (!request.path("stream").asBoolean(false)) {
            return json(200, chat ? ChatShapes.completion(message) : message.toString());
        }
        return new ResponseDefinitionBuilder()
                .withStatus(200)
                .withHeader("content-type", "text/event-stream")
                .withBody(chat ? ChatShapes.chunks(message) : MessageStreams.render(message))
                .build();
    }

    /**
     * A case of {@code stream-rescue-honest}: its first stream breaks as scripted, at whichever deployment it reaches
     * first; every later call continues the answer from its prefill, whole. A chat completions deployment cannot be
     * asked to continue, so it answers whole from the start.
     */
    private ResponseDefinition rescued(JsonNode request, String caseId, String fault) {
        String model = request.path("model").asText();
        if (chat) {
            return new ResponseDefinitionBuilder()
                    .withStatus(200)
                    .withHeader("content-type", "text/event-stream")
                    .withBody(ChatShapes.chunks(RescuedAnswer.message(caseId, model)))
                    .build();
        }
        String prefill = Prefills.of(request);
        Optional<String> refused = Prefills.refusal(RescuedAnswer.text(caseId), prefill);
        if (refused.isPresent()) {
            return json(
                    400,
                    "{\"type\":\"error\",\"error\":{\"type\":\"invalid_request_error\",\"message\":\"" + refused.get()
                            + "\"}}");
        }
        boolean breaks = FAULTED.add(caseId + ":" + fault);
        return new ResponseDefinitionBuilder()
                .withStatus(200)
                .withHeader("content-type", "text/event-stream")
                .withBody(RescuedAnswer.stream(caseId, model, prefill, breaks ? Optional.of(fault) : Optional.empty()))
                .build();
    }

    /** The scripted failure of an error case: a status (502 as an HTML page, 429r with Retry-After) or a reset. */
    private static ResponseDefinition fault(String token) {
        return switch (token) {
            case "timeout" ->
                late(new ResponseDefinitionBuilder()
                        .withStatus(200)
                        .withHeader("content-type", "application/json")
                        .withBody(LATE_MESSAGE));
            case "reset" ->
                new ResponseDefinitionBuilder()
                        .withFault(Fault.CONNECTION_RESET_BY_PEER)
                        .build();
            case "502" ->
                new ResponseDefinitionBuilder()
                        .withStatus(502)
                        .withHeader("content-type", "text/html")
                        .withBody("<html><body>Bad Gateway</body></html>")
                        .build();
            case "429r" ->
                new ResponseDefinitionBuilder()
                        .withStatus(429)
                        .withHeader("content-type", "application/json")
                        .withHeader("retry-after", "1")
                        .withBody(
                                "{\"type\":\"error\",\"error\":{\"type\":\"rate_limit_error\",\"message\":\"slow down\"}}")
                        .build();
            default ->
                json(
                        Integer.parseInt(token),
                        "{\"type\":\"error\",\"error\":{\"type\":\"kit_error\",\"message\":\"scripted " + token
                                + "\"}}");
        };
    }

    /**
     * A follow-up that fails, once the loop is under way: a 500 or 529, a reset connection, a 200 whose body is cut
     * off (a JSON body, or an event stream ended before {@code message_stop}), or a stream that starts and then sends
     * {@code event: error} (529 as JSON).
     */
    private static ResponseDefinition loopFault(String token, boolean stream, int hop) {
        return switch (token) {
            case "timeout" ->
                late(
                        stream
                                ? new ResponseDefinitionBuilder()
                                        .withStatus(200)
                                        .withHeader("content-type", "text/event-stream")
                                        .withBody(MessageStreams.render((ObjectNode) readTree(LATE_MESSAGE)))
                                : new ResponseDefinitionBuilder()
                                        .withStatus(200)
                                        .withHeader("content-type", "application/json")
                                        .withBody(LATE_MESSAGE));
            case "cut" ->
                stream
                        ? new ResponseDefinitionBuilder()
                                .withStatus(200)
                                .withHeader("content-type", "text/event-stream")
                                .withBody(cutStream(hop))
                                .build()
                        : new ResponseDefinitionBuilder()
                                .withStatus(200)
                                .withHeader("content-type", "application/json")
                                .withBody("{\"id\":\"msg_cut\",\"type\":\"message\",\"role\":\"assist")
                                .build();
            case "evterr" ->
                stream
                        ? new ResponseDefinitionBuilder()
                                .withStatus(200)
                                .withHeader("content-type", "text/event-stream")
                                .withBody(messageStartOnly(hop)
                                        + "event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\","
                                        + "\"message\":\"Overloaded\"}}\n\n")
                                .build()
                        : fault("529");
            default -> fault(token);
        };
    }

    /** A whole answer that arrives too late: a gateway that waits for it past the deployment's timeout relays it. */
    private static final String LATE_MESSAGE = "{\"id\":\"msg_late\",\"type\":\"message\",\"role\":\"assistant\","
            + "\"model\":\"kit\",\"content\":[{\"type\":\"text\",\"text\":\"too late\"}],\"stop_reason\":\"end_turn\","
            + "\"stop_sequence\":null,\"usage\":{\"input_tokens\":1,\"output_tokens\":1}}";

    private static ResponseDefinition late(ResponseDefinitionBuilder answer) {
        return answer.withFixedDelay((FakeUpstreams.DEPLOYMENT_TIMEOUT_SECONDS + 1) * 1000)
                .build();
    }

    private static JsonNode readTree(String json) {
        try {
            return MAPPER.readTree(json);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The first event of a text answer's stream, {@code message_start}, and nothing after it. */
    private static String messageStartOnly(int hop) {
        String cut = cutStream(hop);
        return cut.substring(0, cut.indexOf("event: content_block_start"));
    }

    /** A text answer's event stream, cut off after its first text delta, before the block or the message ends. */
    private static String cutStream(int hop) {
        ObjectNode message = MAPPER.createObjectNode();
        message.put("id", "msg_cut_" + hop)
                .put("type", "message")
                .put("role", "assistant")
                .put("model", "kit");
        message.putArray("content").addObject().put("type", "text").put("text", "the answer was cut");
        message.put("stop_reason", "end_turn").putNull("stop_sequence");
        message.putObject("usage").put("input_tokens", 1).put("output_tokens", 1);
        String whole = MessageStreams.render(message);
        return whole.substring(0, whole.indexOf("event: content_block_stop"));
    }

    /** @return the model a cloud's path names: Bedrock's one encoded segment after {@code /model/}, Vertex's last */
    private String modelInPath(String url) {
        if (cloud == FakeDeployment.Cloud.BEDROCK) {
            String after = url.substring(url.indexOf("/model/") + "/model/".length());
            return URLDecoder.decode(after.substring(0, after.indexOf('/')), StandardCharsets.UTF_8);
        }
        String last = url.substring(url.lastIndexOf('/') + 1);
        return last.substring(0, last.lastIndexOf(':'));
    }

    /** @return why a cloud would refuse this body (a key it does not take, the wrong version), or null */
    private String notTheCloudsBody(JsonNode request) {
        if (request.has("model")) {
            return "extraneous key [model] is not permitted";
        }
        String version = cloud == FakeDeployment.Cloud.BEDROCK ? "bedrock-2023-05-31" : "vertex-2023-10-16";
        if (!request.path("anthropic_version").asText().equals(version)) {
            return "anthropic_version must be " + version;
        }
        if (cloud == FakeDeployment.Cloud.BEDROCK && request.has("stream")) {
            return "extraneous key [stream] is not permitted";
        }
        return null;
    }

    /** A third-party model knows no server tool blocks: a gateway must turn history's search blocks into its own. */
    private static boolean carriesServerBlocks(JsonNode request) {
        for (JsonNode message : request.path("messages")) {
            for (JsonNode block : message.path("content")) {
                String type = block.path("type").asText();
                if (type.equals("server_tool_use") || type.equals("web_search_tool_result")) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * Hops already made in this loop: the assistant turns after the client's last own turn. Counted by role, not by
     * tool-call ids, which a correct gateway may rename ({@code toolu_…} becomes {@code call_…} and back).
     */
    static int hopNumber(JsonNode request) {
        int hops = 0;
        for (JsonNode message : request.path("messages")) {
            String role = message.path("role").asText();
            if (role.equals("assistant")) {
                hops++;
            } else if (role.equals("user") && KitScript.clientsOwn(message)) {
                hops = 0;
            }
        }
        return hops;
    }

    private static ResponseDefinition json(int status, String body) {
        return new ResponseDefinitionBuilder()
                .withStatus(status)
                .withHeader("content-type", "application/json")
                .withBody(body)
                .build();
    }

    /** The usage a fake reports on each hop. */
    static final class Usage {
        private Usage() {}

        static int input(int hop) {
            return 100 + 10 * hop;
        }

        static int output(int hop) {
            return 7 + hop;
        }
    }
}
