package dev.keyline.domain.deployment;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/** The deployments that serve one client-facing model name, in configuration order. */
public record ModelGroup(ModelGroupName name, List<Deployment> deployments) {
    public ModelGroup {
        Objects.requireNonNull(name, "'name' must not be null");
        deployments = List.copyOf(Objects.requireNonNull(deployments, "'deployments' must not be null"));
        if (deployments.isEmpty()) {
            throw new IllegalArgumentException("model group " + name + " has no deployment");
        }
        Set<DeploymentId> seen = new HashSet<>();
        for (Deployment deployment : deployments) {
            if (!deployment.group().equals(name)) {
                throw new IllegalArgumentException(
                        "deployment " + deployment.id() + " serves " + deployment.group() + ", not " + name);
            }
            if (!seen.add(deployment.id())) {
                throw new IllegalArgumentException("deployment id " + deployment.id() + " appears twice in " + name);
            }
        }
    }

    public boolean isSingleDeployment() {
        return deployments.size() == 1;
    }
}
