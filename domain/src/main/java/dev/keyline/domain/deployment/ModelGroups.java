package dev.keyline.domain.deployment;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/** Every model group the gateway serves, looked up by the model name a client sends. */
public record ModelGroups(Map<ModelGroupName, ModelGroup> byName) {
    public ModelGroups {
        Objects.requireNonNull(byName, "'byName' must not be null");
        Set<DeploymentId> ids = new HashSet<>();
        byName.forEach((name, group) -> {
            if (!group.name().equals(name)) {
                throw new IllegalArgumentException("group " + group.name() + " is filed under " + name);
            }
            group.deployments().forEach(d -> {
                if (!ids.add(d.id())) {
                    throw new IllegalArgumentException("deployment id " + d.id() + " is used by two deployments");
                }
            });
        });
        byName = Map.copyOf(byName);
    }

    /**
     * Groups deployments by the model group each one names, keeping configuration order inside a group.
     *
     * @param deployments every configured deployment
     * @return the groups
     */
    public static ModelGroups of(List<Deployment> deployments) {
        Map<ModelGroupName, List<Deployment>> grouped = new LinkedHashMap<>();
        deployments.forEach(
                d -> grouped.computeIfAbsent(d.group(), g -> new ArrayList<>()).add(d));
        Map<ModelGroupName, ModelGroup> groups = new LinkedHashMap<>();
        grouped.forEach((name, members) -> groups.put(name, new ModelGroup(name, members)));
        return new ModelGroups(groups);
    }

    /**
     * @param model the model name from a client's request
     * @return the group serving it, or empty
     */
    public Optional<ModelGroup> find(String model) {
        return model == null || model.isBlank()
                ? Optional.empty()
                : Optional.ofNullable(byName.get(new ModelGroupName(model)));
    }

    public Collection<ModelGroup> all() {
        return byName.values();
    }

    public int deploymentCount() {
        return byName.values().stream().mapToInt(g -> g.deployments().size()).sum();
    }
}
