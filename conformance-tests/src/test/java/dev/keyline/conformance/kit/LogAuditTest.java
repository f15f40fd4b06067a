package dev.keyline.conformance.kit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/**
 * A whole kit run against the built jar with every logger at its finest, then every line the gateway wrote searched
 * for every key it was given (each deployment's, the gateway's, the decoy ANTHROPIC_API_KEY): none may appear.
 */
class LogAuditTest {

    private static final Path OUT = Path.of("target", "conformance-log-audit").toAbsolutePath();

    @Test
    void aKitRunAtDebug_logsNoKey() throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        Path jar =
                Path.of("..", "app", "target", "keyline.jar").toAbsolutePath().normalize();
        Path logging = Path.of("src", "test", "resources", "logging", "debug.properties")
                .toAbsolutePath();
        Path log = OUT.resolve("gateway.log");
        CommandLauncher command = new CommandLauncher(
                java + " -Djava.util.logging.config.file=" + logging + " -jar " + jar
                        + " serve --config {config} --port {port} --host 127.0.0.1",
                log);
        Set<String> keys = ConcurrentHashMap.newKeySet();
        keys.add(FakeUpstreams.GATEWAY_KEY);
        GatewayLauncher recording = (config, environment) -> {
            environment.values().stream().filter(v -> v.startsWith("sk-")).forEach(keys::add);
            return command.launch(config, environment);
        };

        ConformanceRun.Report report = ConformanceRun.run(
                "keyline (debug logging)",
                GatewayProfile.named("keyline"),
                recording,
                OUT,
                KeylineConformanceTest.SEED,
                5);

        List<String> lines = Files.readAllLines(log);
        // Reported by position and first characters only: the report must not show a key either.
        List<String> searched = List.copyOf(keys);
        Map<String, Long> hits = new TreeMap<>();
        for (int i = 0; i < searched.size(); i++) {
            String key = searched.get(i);
            hits.put(
                    "#" + i + " " + key.substring(0, 6) + "…",
                    lines.stream().filter(l -> l.contains(key)).count());
        }
        System.out.printf("log audit: %d lines at debug, %d keys searched, hits %s%n", lines.size(), keys.size(), hits);
        assertTrue(report.passed(), "the kit itself passed");
        assertTrue(keys.size() >= 4, "the gateway, deployment and decoy keys were all searched for: " + keys.size());
        assertTrue(
                lines.stream().anyMatch(l -> l.contains(" FINE ") || l.contains("DEBUG")), "debug lines were written");
        assertEquals(0L, hits.values().stream().mapToLong(Long::longValue).sum(), "keys found in the log: " + hits);
    }
}
