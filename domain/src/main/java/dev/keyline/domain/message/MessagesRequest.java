package dev.keyline.domain.message;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A {@code POST /v1/messages} body. The fields the gateway acts on are typed; every other member ({@code system},
 * {@code temperature}, {@code thinking}, {@code metadata}, …) travels in {@code extra}, in the order it came.
 *
 * @param model      the model group a client asks for, or the provider model once bound to a deployment
 * @param maxTokens  the client's output limit
 * @param messages   the conversation, never empty
 * @param tools      offered tools; empty when none
 * @param toolChoice the client's {@code tool_choice}, when given
 * @param stream     whether the client asked for server-sent events
 * @param extra      every other member
 * @param verbatim   the client's own bytes, while the request is theirs but for its model; not part of its value
 *                   (left out of {@code equals}, {@code hashCode} and {@code toString})
 */
public record MessagesRequest(
        String model,
        int maxTokens,
        List<Message> messages,
        List<ToolDefinition> tools,
        Optional<RawJson> toolChoice,
        boolean stream,
        RawJson extra,
        Optional<Verbatim> verbatim) {
    public MessagesRequest {
        Objects.requireNonNull(model, "'model' must not be null");
        if (model.isBlank()) {
            throw new IllegalArgumentException("model must not be blank");
        }
        if (maxTokens < 1) {
            throw new IllegalArgumentException("max_tokens must be at least 1, was " + maxTokens);
        }
        messages = List.copyOf(Objects.requireNonNull(messages, "'messages' must not be null"));
        if (messages.isEmpty()) {
            throw new IllegalArgumentException("messages must not be empty");
        }
        tools = List.copyOf(Objects.requireNonNull(tools, "'tools' must not be null"));
        Objects.requireNonNull(toolChoice, "'toolChoice' must not be null");
        Objects.requireNonNull(extra, "'extra' must not be null");
        Objects.requireNonNull(verbatim, "'verbatim' must not be null");
    }

    /** A request the gateway made or changed: it has no client bytes to forward. */
    public MessagesRequest(
            String model,
            int maxTokens,
            List<Message> messages,
            List<ToolDefinition> tools,
            Optional<RawJson> toolChoice,
            boolean stream,
            RawJson extra) {
        this(model, maxTokens, messages, tools, toolChoice, stream, extra, Optional.empty());
    }

    /**
     * @param providerModel the name the upstream knows the model by
     * @return this request addressed to that model; the client's bytes still stand for the rest of it
     */
    public MessagesRequest withModel(String providerModel) {
        return new MessagesRequest(providerModel, maxTokens, messages, tools, toolChoice, stream, extra, verbatim);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof MessagesRequest that
                && model.equals(that.model)
                && maxTokens == that.maxTokens
                && messages.equals(that.messages)
                && tools.equals(that.tools)
                && toolChoice.equals(that.toolChoice)
                && stream == that.stream
                && extra.equals(that.extra);
    }

    @Override
    public int hashCode() {
        return Objects.hash(model, maxTokens, messages, tools, toolChoice, stream, extra);
    }

    @Override
    public String toString() {
        return "MessagesRequest[model=" + model + ", maxTokens=" + maxTokens + ", messages=" + messages + ", tools="
                + tools + ", toolChoice=" + toolChoice + ", stream=" + stream + ", extra=" + extra + "]";
    }
}
