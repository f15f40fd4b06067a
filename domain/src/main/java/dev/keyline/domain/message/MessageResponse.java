package dev.keyline.domain.message;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * An assistant message returned by {@code POST /v1/messages}.
 *
 * @param id           the upstream's message id
 * @param model        the model name the upstream reported
 * @param content      the blocks, in order
 * @param stopReason   why the model stopped; absent only while streaming
 * @param stopSequence the stop sequence that matched, if any
 * @param usage        token and tool counts
 * @param extra        every other member the upstream sent
 */
public record MessageResponse(
        String id,
        String model,
        List<ContentBlock> content,
        Optional<String> stopReason,
        Optional<String> stopSequence,
        Usage usage,
        RawJson extra) {
    public MessageResponse {
        Objects.requireNonNull(id, "'id' must not be null");
        Objects.requireNonNull(model, "'model' must not be null");
        content = List.copyOf(Objects.requireNonNull(content, "'content' must not be null"));
        Objects.requireNonNull(stopReason, "'stopReason' must not be null");
        Objects.requireNonNull(stopSequence, "'stopSequence' must not be null");
        Objects.requireNonNull(usage, "'usage' must not be null");
        Objects.requireNonNull(extra, "'extra' must not be null");
    }
}
