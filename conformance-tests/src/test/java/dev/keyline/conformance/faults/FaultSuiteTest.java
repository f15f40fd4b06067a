package dev.keyline.conformance.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.keyline.conformance.faults.FaultScenario.Tempo;
import dev.keyline.conformance.kit.CommandLauncher;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The crash test, quick tempo, against the built jar as users run it, through both front doors (Anthropic's
 * shapes judged on the Messages door, OpenAI's on the chat completions door): every scenario must pass on each. The
 * two doors run side by side, each with its own gateway and faulty upstream: the scenarios mostly wait (a silent
 * upstream, a stall, an outage), so together they take the time of one.
 */
class FaultSuiteTest {

    private static List<FaultSuite.Scorecard> scorecards;

    @BeforeAll
    static void run() throws Exception {
        try (ExecutorService doors = Executors.newFixedThreadPool(2)) {
            CompletableFuture<FaultSuite.Scorecard> messages =
                    CompletableFuture.supplyAsync(() -> runOn(Door.MESSAGES, "faults"), doors);
            CompletableFuture<FaultSuite.Scorecard> chat =
                    CompletableFuture.supplyAsync(() -> runOn(Door.CHAT, "faults-chat"), doors);
            scorecards = List.of(messages.join(), chat.join());
        }
    }

    private static FaultSuite.Scorecard runOn(Door door, String directory) {
        Path out = Path.of("target", directory).toAbsolutePath();
        String java = ProcessHandle.current().info().command().orElse("java");
        Path jar =
                Path.of("..", "app", "target", "keyline.jar").toAbsolutePath().normalize();
        try {
            return FaultSuite.run(
                    new CommandLauncher(
                            java + " -jar " + jar + " serve --config {config} --port {port} --host 127.0.0.1",
                            out.resolve("gateway.log")),
                    out,
                    Tempo.quick(),
                    true,
                    door);
        } catch (Exception e) {
            throw new IllegalStateException("the crash test on the " + door + " door could not run", e);
        }
    }

    @TestFactory
    Stream<DynamicTest> everyFaultEndsInAPass_onEachDoor() {
        return scorecards.stream()
                .flatMap(card -> card.results().stream()
                        .map(result -> DynamicTest.dynamicTest(
                                card.door() + ": " + result.id(),
                                () -> assertEquals(
                                        Verdict.Grade.PASS,
                                        result.grade(),
                                        card.door() + ": " + result.id() + ": " + result.detail()))));
    }

    @TestFactory
    Stream<DynamicTest> theKeyShowsNowhere() {
        return scorecards.stream()
                .map(card -> DynamicTest.dynamicTest(
                        card.door() + ": answers and gateway log",
                        () -> assertFalse(card.keyLeaked(), card.markdown())));
    }
}
