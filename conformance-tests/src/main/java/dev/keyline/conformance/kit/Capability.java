package dev.keyline.conformance.kit;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * What a gateway can do, as its profile declares it. The kit builds its pool and its cases from these, and a property
 * that needs one the profile denies is reported not applicable, never failed and never passed: a missing feature is
 * not a breach.
 */
public enum Capability {
    ANTHROPIC_UPSTREAMS("anthropic-upstreams", "calls Anthropic-compatible (Messages) upstreams"),
    OPENAI_CHAT_UPSTREAMS("openai-chat-upstreams", "calls OpenAI-compatible chat completions upstreams"),
    MODEL_GROUPS("model-groups", "serves one model name from a group of several deployments"),
    MODEL_REGISTRY("model-registry", "knows its models by name, so an unknown model is its to refuse"),
    RETRIES("retries", "retries a call that failed with a 429 or 5xx, on the group or a fallback"),
    DEPLOYMENT_TIMEOUTS("deployment-timeouts", "ends a call to a deployment after that deployment's timeout"),
    COUNT_TOKENS("count-tokens", "answers /v1/messages/count_tokens"),
    SEARCH_LOOP("search-loop", "runs web_search itself, looping with the model until it answers"),
    BEARER_AUTH_SCHEME(
            "bearer-auth-scheme", "can be told that an Anthropic-compatible deployment takes its key as Bearer"),
    DEPLOYMENT_HEADERS("deployment-headers", "sends a deployment's own extra headers with every call to it"),
    STREAM_RESCUE("stream-rescue", "continues a stream that broke mid-answer from another call, in the same message"),
    CHAT_DOOR("chat-completions-door", "serves OpenAI clients on /v1/chat/completions (judged with --surface chat)"),
    BEDROCK_UPSTREAMS(
            "bedrock-upstreams", "calls Claude on Amazon Bedrock, signing with each deployment's own AWS keys"),
    VERTEX_UPSTREAMS(
            "vertex-upstreams", "calls Claude on Google Vertex AI, with tokens minted from each deployment's account");

    private final String id;
    private final String meaning;

    Capability(String id, String meaning) {
        this.id = id;
        this.meaning = meaning;
    }

    public String id() {
        return id;
    }

    public String meaning() {
        return meaning;
    }

    /** @throws IllegalArgumentException naming the capabilities there are, for a profile file's typo */
    public static Capability of(String id) {
        return Arrays.stream(values())
                .filter(c -> c.id.equals(id))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown capability '" + id + "'; known: "
                        + Arrays.stream(values()).map(Capability::id).collect(Collectors.joining(", "))));
    }
}
