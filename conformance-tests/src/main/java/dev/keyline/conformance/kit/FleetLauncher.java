package dev.keyline.conformance.kit;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * Runs the gateway as a fleet: several replicas of one command, all given the kit's configuration plus a Redis URL
 * (LiteLLM's {@code router_settings.redis_url}) and a key prefix of their own per launch, behind a round robin, so
 * every property is judged on state the replicas share.
 */
public final class FleetLauncher implements GatewayLauncher {

    private final List<CommandLauncher> replicas;
    private final String redisUrl;

    /**
     * @param replicas one launcher per replica (each with its own log)
     * @param redisUrl the Redis the replicas share, e.g. {@code redis://127.0.0.1:6379}
     */
    public FleetLauncher(List<CommandLauncher> replicas, String redisUrl) {
        if (replicas.size() < 2) {
            throw new IllegalArgumentException("a fleet has at least two replicas");
        }
        this.replicas = List.copyOf(replicas);
        this.redisUrl = Objects.requireNonNull(redisUrl, "'redisUrl' must not be null");
    }

    @Override
    public RunningGateway launch(Path config, Map<String, String> environment) throws Exception {
        YAMLMapper yaml = new YAMLMapper();
        ObjectNode root = (ObjectNode) yaml.readTree(config.toFile());
        root.withObject("/router_settings")
                .put("redis_url", redisUrl)
                .put("redis_key_prefix", "kit-" + UUID.randomUUID());
        Path fleetConfig = config.resolveSibling("fleet-" + config.getFileName());
        Files.writeString(fleetConfig, yaml.writeValueAsString(root));

        List<RunningGateway> running = new ArrayList<>();
        try {
            for (CommandLauncher replica : replicas) {
                running.add(replica.launch(fleetConfig, environment));
            }
        } catch (Exception e) {
            for (RunningGateway started : running) {
                started.close();
            }
            throw e;
        }
        RoundRobinProxy proxy = RoundRobinProxy.start(
                running.stream().map(RunningGateway::baseUrl).toList());
        return new RunningGateway(proxy.baseUrl(), true, () -> {
            proxy.close();
            for (RunningGateway replica : running) {
                replica.close();
            }
        });
    }
}
