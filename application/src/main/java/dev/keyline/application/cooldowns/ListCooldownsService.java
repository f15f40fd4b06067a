package dev.keyline.application.cooldowns;

import dev.keyline.domain.routing.Cooldown;
import dev.keyline.ports.in.ListCooldownsUseCase;
import dev.keyline.ports.out.CooldownStore;
import java.util.List;
import java.util.Objects;

/** Lists the cooldowns in force, straight from the store. */
public final class ListCooldownsService implements ListCooldownsUseCase {

    private final CooldownStore cooldowns;

    public ListCooldownsService(CooldownStore cooldowns) {
        this.cooldowns = Objects.requireNonNull(cooldowns, "'cooldowns' must not be null");
    }

    @Override
    public List<Cooldown> activeCooldowns() {
        return cooldowns.activeCooldowns();
    }
}
