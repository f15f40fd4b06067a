package dev.keyline.adapters.frontdoors;

import dev.keyline.ports.in.CountTokensUseCase;
import dev.keyline.ports.in.HandleMessagesUseCase;
import dev.keyline.ports.in.ListCooldownsUseCase;
import dev.keyline.ports.in.ListModelsUseCase;
import java.util.Objects;

/**
 * What the gateway's endpoints call: the use cases behind {@code /v1/messages} and {@code /v1/chat/completions},
 * {@code /v1/messages/count_tokens}, {@code /v1/models} and {@code /cooldowns}.
 */
public record GatewayUseCases(
        HandleMessagesUseCase messages,
        CountTokensUseCase counts,
        ListModelsUseCase models,
        ListCooldownsUseCase cooldowns) {
    public GatewayUseCases {
        Objects.requireNonNull(messages, "'messages' must not be null");
        Objects.requireNonNull(counts, "'counts' must not be null");
        Objects.requireNonNull(models, "'models' must not be null");
        Objects.requireNonNull(cooldowns, "'cooldowns' must not be null");
    }
}
