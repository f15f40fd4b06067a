package dev.keyline.adapters.frontdoors;

import dev.keyline.ports.in.CountTokensUseCase;
import dev.keyline.ports.in.HandleMessagesUseCase;
import dev.keyline.ports.in.KeyAccessUseCase;
import dev.keyline.ports.in.KeyAdminUseCase;
import dev.keyline.ports.in.ListCooldownsUseCase;
import dev.keyline.ports.in.ListModelsUseCase;
import java.util.Objects;
import java.util.Optional;

/**
 * What the gateway's endpoints call: the use cases behind {@code /v1/messages} and {@code /v1/chat/completions},
 * {@code /v1/messages/count_tokens}, {@code /v1/models} and {@code /cooldowns}; virtual keys on the request path,
 * and their admin API when keys are kept.
 */
public record GatewayUseCases(
        HandleMessagesUseCase messages,
        CountTokensUseCase counts,
        ListModelsUseCase models,
        ListCooldownsUseCase cooldowns,
        KeyAccessUseCase keys,
        Optional<KeyAdminUseCase> admin) {
    public GatewayUseCases {
        Objects.requireNonNull(messages, "'messages' must not be null");
        Objects.requireNonNull(counts, "'counts' must not be null");
        Objects.requireNonNull(models, "'models' must not be null");
        Objects.requireNonNull(cooldowns, "'cooldowns' must not be null");
        Objects.requireNonNull(keys, "'keys' must not be null");
        Objects.requireNonNull(admin, "'admin' must not be null");
    }

    /** The use cases of a gateway without virtual keys. */
    public GatewayUseCases(
            HandleMessagesUseCase messages,
            CountTokensUseCase counts,
            ListModelsUseCase models,
            ListCooldownsUseCase cooldowns) {
        this(messages, counts, models, cooldowns, KeyAccessUseCase.NONE, Optional.empty());
    }
}
