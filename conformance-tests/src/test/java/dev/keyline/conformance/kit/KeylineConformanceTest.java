package dev.keyline.conformance.kit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The kit against Keyline as users run it, through the same path as {@code ./keyline conformance}: the built jar
 * started by the command-template launcher, decoy ANTHROPIC_* variables in its environment, the report written. The
 * gateway runs with every logger at its finest, and every line it wrote is then searched for every key it was given
 * (each deployment's, the gateway's, the decoys): none may appear. One run serves both: the log audit needs a whole
 * kit run's traffic, and the properties do not depend on how much is logged.
 */
class KeylineConformanceTest {

    static final long SEED = 20_261_124L;
    static final int CASES = 20;
    private static final Path OUT = Path.of("target", "conformance");

    private static ConformanceRun.Report report;
    private static final Set<String> KEYS = ConcurrentHashMap.newKeySet();

    @BeforeAll
    static void run() throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        Path jar =
                Path.of("..", "app", "target", "keyline.jar").toAbsolutePath().normalize();
        Path logging = Path.of("src", "test", "resources", "logging", "debug.properties")
                .toAbsolutePath();
        CommandLauncher command = new CommandLauncher(
                java + " -Djava.util.logging.config.file=" + logging + " -jar " + jar
                        + " serve --config {config} --port {port} --host 127.0.0.1",
                log());
        KEYS.add(FakeUpstreams.GATEWAY_KEY);
        GatewayLauncher recording = (config, environment) -> {
            environment.values().stream().filter(v -> v.startsWith("sk-")).forEach(KEYS::add);
            return command.launch(config, environment);
        };
        report = ConformanceRun.run(
                "keyline", GatewayProfile.named("keyline"), recording, OUT.toAbsolutePath(), SEED, CASES);
        ReportWriter.write(report, OUT);
    }

    private static Path log() {
        return OUT.toAbsolutePath().resolve("gateway.log");
    }

    @TestFactory
    Stream<DynamicTest> keylineHoldsEveryProperty() {
        return report.results().stream()
                .map(result -> DynamicTest.dynamicTest(
                        result.id(),
                        () -> assertEquals("passed", result.status(), result.id() + ": " + result.counterexample())));
    }

    @TestFactory
    Stream<DynamicTest> theReportIsWritten() {
        return Stream.of(DynamicTest.dynamicTest("json and markdown", () -> {
            String markdown = Files.readString(OUT.resolve("conformance-report.md"));
            assertTrue(markdown.contains("| `loop-hop-binding` | passed |"), markdown);
            assertTrue(Files.readString(OUT.resolve("conformance-report.json")).contains("\"seed\" : " + SEED));
            assertFalse(markdown.contains(FakeUpstreams.GATEWAY_KEY), "the gateway key in the report");
            assertTrue(markdown.contains("api_key: os.environ/KIT_KEY_SOLO_1"), markdown);
        }));
    }

    @TestFactory
    Stream<DynamicTest> theLogAtDebug_showsNoKey() {
        return Stream.of(DynamicTest.dynamicTest("every line, every key", () -> {
            List<String> lines = Files.readAllLines(log());
            // Reported by position and first characters only: the report must not show a key either.
            List<String> searched = List.copyOf(KEYS);
            Map<String, Long> hits = new TreeMap<>();
            for (int i = 0; i < searched.size(); i++) {
                String key = searched.get(i);
                hits.put(
                        "#" + i + " " + key.substring(0, 6) + "…",
                        lines.stream().filter(l -> l.contains(key)).count());
            }
            System.out.printf(
                    "log audit: %d lines at debug, %d keys searched, hits %s%n", lines.size(), KEYS.size(), hits);
            assertTrue(
                    KEYS.size() >= 4, "the gateway, deployment and decoy keys were all searched for: " + KEYS.size());
            assertTrue(
                    lines.stream().anyMatch(l -> l.contains(" FINE ") || l.contains("DEBUG")),
                    "debug lines were written");
            assertEquals(0L, hits.values().stream().mapToLong(Long::longValue).sum(), "keys found in the log: " + hits);
        }));
    }
}
