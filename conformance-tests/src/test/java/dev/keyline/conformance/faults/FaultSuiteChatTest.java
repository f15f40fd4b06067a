package dev.keyline.conformance.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.keyline.conformance.faults.FaultScenario.Tempo;
import dev.keyline.conformance.kit.CommandLauncher;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The crash test through the chat completions door, quick tempo, against the built jar: OpenAI's chunk and error
 * shapes judged, with Anthropic-compatible and OpenAI-compatible faulty upstreams; every scenario must pass.
 */
class FaultSuiteChatTest {

    private static final Path OUT = Path.of("target", "faults-chat").toAbsolutePath();
    private static FaultSuite.Scorecard scorecard;

    @BeforeAll
    static void run() throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        Path jar =
                Path.of("..", "app", "target", "keyline.jar").toAbsolutePath().normalize();
        scorecard = FaultSuite.run(
                new CommandLauncher(
                        java + " -jar " + jar + " serve --config {config} --port {port} --host 127.0.0.1",
                        OUT.resolve("gateway.log")),
                OUT,
                Tempo.quick(),
                true,
                Door.CHAT);
    }

    @TestFactory
    Stream<DynamicTest> everyFaultEndsInAPass() {
        return scorecard.results().stream()
                .map(result -> DynamicTest.dynamicTest(
                        result.id(),
                        () -> assertEquals(Verdict.Grade.PASS, result.grade(), result.id() + ": " + result.detail())));
    }

    @TestFactory
    Stream<DynamicTest> theKeyShowsNowhere() {
        return Stream.of(DynamicTest.dynamicTest(
                "answers and gateway log", () -> assertFalse(scorecard.keyLeaked(), scorecard.markdown())));
    }
}
