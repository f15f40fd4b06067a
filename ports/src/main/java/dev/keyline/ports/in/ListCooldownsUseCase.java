package dev.keyline.ports.in;

import dev.keyline.domain.routing.Cooldown;
import java.util.List;

/** Use case: show operators which deployments are resting, until when and why. */
public interface ListCooldownsUseCase {

    /** @return the cooldowns in force now, soonest end first */
    List<Cooldown> activeCooldowns();
}
