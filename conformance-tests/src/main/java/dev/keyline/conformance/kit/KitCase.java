package dev.keyline.conformance.kit;

import static org.quicktheories.generators.SourceDSL.booleans;
import static org.quicktheories.generators.SourceDSL.integers;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.UUID;
import org.quicktheories.core.Gen;

/**
 * One generated client request: which group it asks for, how many search rounds the model makes and how many
 * searches per round, the tool's {@code max_uses}, whether it streams, the beta flags it sends, and whether its
 * first upstream call fails with a 429 (so the gateway must retry, with the right key).
 */
record KitCase(String group, int rounds, int perRound, int maxUses, boolean stream, String betas, boolean fault,
               String id) {

    static Gen<KitCase> all() {
        return integers().between(0, 1).zip(integers().between(0, 3), integers().between(1, 3),
                        (g, rounds, perRound) -> new int[] {g, rounds, perRound})
                .zip(integers().between(1, 6), booleans().all(), integers().between(0, 2), booleans().all(),
                        (a, maxUses, stream, betas, fault) -> new KitCase(g(a[0]), a[1], a[2], maxUses, stream,
                                betas == 0 ? "" : betas == 1 ? "web-search-2025-03-05" : "kit-a-1,kit-b-2",
                                fault, UUID.randomUUID().toString()));
    }

    private static String g(int index) {
        return index == 0 ? "solo" : "pair";
    }

    /** @return the same case under a new id: each sending journals apart, even when a case is checked again */
    KitCase withNewId() {
        return new KitCase(group, rounds, perRound, maxUses, stream, betas, fault, UUID.randomUUID().toString());
    }

    /** @return the same case, not streamed, under a new id so its hops journal apart */
    KitCase unstreamedTwin() {
        return new KitCase(group, rounds, perRound, maxUses, false, betas, fault, UUID.randomUUID().toString());
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
                             {"role":"user","content":"Thanks. Anything else?"}]}"""
                .formatted(group, nextId, maxUses, id, answer.path("content").toString());
    }

    /** @return the marker the fakes read their script from */
    String marker() {
        return "kit:" + rounds + ":" + perRound + ":" + id + ":0:" + (fault ? 1 : 0);
    }

    String body() {
        return """
                {"model":"%s","max_tokens":512,%s"metadata":{"user_id":"%s"},
                 "tools":[{"type":"web_search_20250305","name":"web_search","max_uses":%d}],
                 "messages":[{"role":"user","content":"Find things for case %s"}]}"""
                .formatted(group, stream ? "\"stream\":true," : "", marker(), maxUses, id);
    }

    @Override
    public String toString() {
        return "group=" + group + " rounds=" + rounds + " perRound=" + perRound + " max_uses=" + maxUses
                + " stream=" + stream + " betas=" + (betas.isEmpty() ? "-" : betas) + (fault ? " fault=first-hop-429" : "");
    }
}
