package dev.keyline.conformance.kit;

import static org.quicktheories.generators.SourceDSL.booleans;
import static org.quicktheories.generators.SourceDSL.integers;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.UUID;
import org.quicktheories.core.Gen;

/**
 * One generated client request: which group it asks for, how many search rounds the model makes and how many
 * searches per round, the tool's {@code max_uses}, whether it streams, the beta flags it sends, and whether its
 * first upstream call fails with a 429 (so the gateway must retry, with the right key).
 */
record KitCase(
        String group,
        int rounds,
        int perRound,
        int maxUses,
        boolean stream,
        String betas,
        boolean fault,
        boolean clientTool,
        String id) {

    /** The model's side of a case: the group asked for, its search rounds and searches per round, a client tool. */
    private record ModelScript(String group, int rounds, int perRound, boolean clientTool) {}

    /**
     * @param groups the groups a case may ask for ({@link FakeUpstreams#groupNames()})
     * @param faults whether a case's first call may fail with a one-off 429: only for a gateway that retries (drawn
     *               either way, so a seed's other choices do not depend on it)
     */
    static Gen<KitCase> all(List<String> groups, boolean faults) {
        Gen<ModelScript> scripts = integers()
                .between(0, groups.size() - 1)
                .zip(
                        integers().between(0, 3),
                        integers().between(1, 3),
                        integers().between(0, 3),
                        (group, rounds, perRound, clientTool) ->
                                new ModelScript(groups.get(group), rounds, perRound, clientTool == 0));
        return scripts.zip(
                integers().between(1, 6),
                booleans().all(),
                integers().between(0, 2),
                booleans().all(),
                (script, maxUses, stream, betas, fault) -> new KitCase(
                        script.group(),
                        script.rounds(),
                        script.perRound(),
                        maxUses,
                        stream,
                        betaHeader(betas),
                        fault && faults,
                        script.clientTool(),
                        UUID.randomUUID().toString()));
    }

    private static String betaHeader(int choice) {
        return switch (choice) {
            case 0 -> "";
            case 1 -> "web-search-2025-03-05";
            default -> "kit-a-1,kit-b-2";
        };
    }

    /** A client tool offered beside web search, which the fake model calls in the same turn as a search. */
    static final String CLIENT_TOOL = "{\"name\":\"get_weather\",\"description\":\"Weather for a city\","
            + "\"input_schema\":{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}}}}";

    /** @return how many model calls the loop needs: one per search round (up to the limit) and the answer */
    int expectedHops() {
        return expectedHops(true);
    }

    /** @return the model calls needed when the gateway does, or does not, run the search loop */
    int expectedHops(boolean webSearch) {
        if (!webSearch) {
            return 1;
        }
        if (clientTool && rounds > 0) {
            return 1;
        }
        return Math.min(rounds, FakeUpstreams.MAX_LOOPS) + 1;
    }

    /** @return the same case under a new id: each sending journals apart, even when a case is checked again */
    KitCase withNewId() {
        return new KitCase(
                group,
                rounds,
                perRound,
                maxUses,
                stream,
                betas,
                fault,
                clientTool,
                UUID.randomUUID().toString());
    }

    /** @return the same case, not streamed, under a new id so its hops journal apart */
    KitCase unstreamedTwin() {
        return new KitCase(
                group,
                rounds,
                perRound,
                maxUses,
                false,
                betas,
                fault,
                clientTool,
                UUID.randomUUID().toString());
    }

    /**
     * @param answer the gateway's answer to this case
     * @return the body of a next turn that carries that answer (search blocks included) as history
     */
    String nextTurnBody(JsonNode answer, String nextId) {
        return """
                {"model":"%s","max_tokens":512,"metadata":{"user_id":"kit:0:0:%s"},
                 "tools":[{"type":"web_search_20250305","name":"web_search","max_uses":%d}],
                 "messages":[{"role":"user","content":"Find things for case %s"},
                             {"role":"assistant","content":%s},
                             {"role":"user","content":"%s"}]}""".formatted(
                        group,
                        nextId,
                        maxUses,
                        id,
                        answer.path("content").toString(),
                        KitScript.tagged("Thanks. Anything else?", "kit:0:0:" + nextId));
    }

    /** @return the marker the fakes read their script from, in the client's text ({@link KitScript}) */
    String marker() {
        return "kit:" + rounds + ":" + perRound + ":" + id + ":0:" + (fault ? 1 : 0) + ":" + (clientTool ? 1 : 0);
    }

    String body() {
        return body(true);
    }

    /** @param webSearch whether to offer the web-search tool (not for gateways without a search loop) */
    String body(boolean webSearch) {
        if (!webSearch) {
            return """
                    {"model":"%s","max_tokens":512,%s"metadata":{"user_id":"%s"},%s
                     "messages":[{"role":"user","content":"%s"}]}""".formatted(
                            group,
                            stream ? "\"stream\":true," : "",
                            marker(),
                            clientTool ? "\"tools\":[" + CLIENT_TOOL + "]," : "",
                            KitScript.tagged("Answer for case " + id, marker()));
        }
        return """
                {"model":"%s","max_tokens":512,%s"metadata":{"user_id":"%s"},
                 "tools":[%s{"type":"web_search_20250305","name":"web_search","max_uses":%d}],
                 "messages":[{"role":"user","content":"%s"}]}""".formatted(
                        group,
                        stream ? "\"stream\":true," : "",
                        marker(),
                        clientTool ? CLIENT_TOOL + "," : "",
                        maxUses,
                        KitScript.tagged("Find things for case " + id, marker()));
    }

    /**
     * The case as an OpenAI client asks it on {@code /v1/chat/completions}: the search tool as {@code
     * web_search_options} (no {@code max_uses} there), no Anthropic headers, usage asked for when streamed.
     */
    String chatBody(boolean webSearch) {
        return """
                {"model":"%s","max_tokens":512,%s"user":"%s",%s
                 "messages":[{"role":"user","content":"%s"}]}""".formatted(
                        group,
                        stream ? "\"stream\":true,\"stream_options\":{\"include_usage\":true}," : "",
                        marker(),
                        webSearch ? "\"web_search_options\":{}," : "",
                        KitScript.tagged("Find things for case " + id, marker()));
    }

    /**
     * @return the case as an OpenAI client can ask it: no client tool beside the search, no beta header, no
     *         {@code max_uses} (0, which no Messages case has)
     */
    KitCase forChat() {
        return new KitCase(group, rounds, perRound, 0, stream, "", fault, false, id);
    }

    @Override
    public String toString() {
        return "group=" + group + " rounds=" + rounds + " perRound=" + perRound
                + (maxUses == 0 ? "" : " max_uses=" + maxUses)
                + " stream=" + stream + " betas=" + (betas.isEmpty() ? "-" : betas)
                + (fault ? " fault=first-hop-429" : "")
                // Offered beside the search tool, called in the same turn as a search where there is one.
                + (clientTool ? " client-tool" : "");
    }
}
