package dev.keyline.conformance.kit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Keyline judged as OpenAI clients see it, on {@code /v1/chat/completions} ({@code --surface chat}): every property
 * of that door holds on the built jar, and each fails on the Keyline mutant built to break it.
 */
class ChatSurfaceConformanceTest {

    /** Fewer than the Messages run: the chat door shares its router and providers, judged there at full count. */
    private static final int CASES = 10;

    @Test
    void keyline_holdsEveryPropertyOfTheChatDoor() throws Exception {
        Path out = Path.of("target", "conformance-chat").toAbsolutePath();
        String java = ProcessHandle.current().info().command().orElse("java");
        Path jar =
                Path.of("..", "app", "target", "keyline.jar").toAbsolutePath().normalize();
        CommandLauncher launcher = new CommandLauncher(
                java + " -jar " + jar + " serve --config {config} --port {port} --host 127.0.0.1",
                out.resolve("gateway.log"));

        ConformanceRun.Report report = ConformanceRun.run(
                "keyline",
                GatewayProfile.named("keyline"),
                Surface.CHAT,
                launcher,
                out,
                KeylineConformanceTest.SEED,
                CASES);
        ReportWriter.write(report, out);

        assertEquals("chat", report.surface());
        assertEquals(
                List.of(
                        "hop-credentials",
                        "loop-hop-binding",
                        "no-env-fallback",
                        "header-propagation",
                        "stream-equivalence",
                        "error-shape"),
                report.results().stream().map(ConformanceRun.Result::id).toList());
        for (ConformanceRun.Result result : report.results()) {
            assertEquals("passed", result.status(), result.id() + ": " + result.counterexample());
        }
    }

    @Test
    void everyPropertyOfTheChatDoor_failsOnItsMutant() {
        List<SelfTest.Outcome> outcomes = SelfTest.run(Surface.CHAT, KeylineConformanceTest.SEED, CASES);

        assertEquals(
                Set.of(
                        "hop-credentials",
                        "loop-hop-binding",
                        "no-env-fallback",
                        "header-propagation",
                        "stream-equivalence",
                        "error-shape"),
                outcomes.stream().map(SelfTest.Outcome::property).collect(Collectors.toSet()));
        for (SelfTest.Outcome outcome : outcomes) {
            assertTrue(outcome.caught(), outcome.property() + " passed on a mutant that " + outcome.defect());
        }
    }
}
