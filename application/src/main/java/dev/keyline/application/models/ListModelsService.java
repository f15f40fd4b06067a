package dev.keyline.application.models;

import dev.keyline.domain.deployment.ModelGroup;
import dev.keyline.domain.deployment.ModelGroups;
import dev.keyline.ports.in.ListModelsUseCase;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/** Lists the configured model groups by name; a client sees the names it may ask for, never a base or a key. */
public final class ListModelsService implements ListModelsUseCase {

    private final List<Model> models;

    /** @param servingSince when the gateway loaded its configuration: the groups' creation time for clients */
    public ListModelsService(ModelGroups groups, Instant servingSince) {
        Objects.requireNonNull(servingSince, "'servingSince' must not be null");
        this.models = groups.all().stream()
                .map(ModelGroup::name)
                .map(name -> new Model(name.value(), servingSince))
                .sorted(Comparator.comparing(Model::id))
                .toList();
    }

    @Override
    public List<Model> models() {
        return models;
    }
}
