package dev.keyline.conformance.kit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The kit against Keyline as users run it, through the same path as {@code ./keyline conformance}: the built jar
 * started by the command-template launcher, decoy ANTHROPIC_* variables in its environment, the report written.
 */
class KeylineConformanceTest {

    static final long SEED = 20_261_124L;
    static final int CASES = 20;
    private static final Path OUT = Path.of("target", "conformance");

    private static ConformanceRun.Report report;

    @BeforeAll
    static void run() throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        Path jar =
                Path.of("..", "app", "target", "keyline.jar").toAbsolutePath().normalize();
        CommandLauncher launcher = new CommandLauncher(
                java + " -jar " + jar + " serve --config {config} --port {port} --host 127.0.0.1",
                OUT.toAbsolutePath().resolve("gateway.log"));
        report = ConformanceRun.run("keyline", launcher, OUT.toAbsolutePath(), SEED, CASES);
        ReportWriter.write(report, OUT);
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
}
