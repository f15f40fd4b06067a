package dev.keyline.conformance.kit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.keyline.adapters.state.testing.LocalRedis;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The kit against a fleet: two launched Keyline replicas sharing a real redis-server, behind a per-request round
 * robin, on the same seed as the single gateway ({@code ./keyline conformance --replicas 2 --redis-url URL} runs
 * the full count).
 */
class FleetConformanceTest {

    private static final Path OUT = Path.of("target", "conformance-fleet");
    /**
     * A quarter of the single gateway's cases: every property still runs its fixed cases and some generated ones on
     * the fleet, and the build stays within its time (the single gateway runs all 20; `./keyline conformance
     * --replicas 2` runs as many as asked).
     */
    private static final int FLEET_CASES = KeylineConformanceTest.CASES / 4;

    private static LocalRedis redis;
    private static ConformanceRun.Report report;

    @BeforeAll
    static void run() throws Exception {
        assumeTrue(LocalRedis.binary().isPresent(), LocalRedis.MISSING);
        redis = LocalRedis.start();
        String java = ProcessHandle.current().info().command().orElse("java");
        Path jar =
                Path.of("..", "app", "target", "keyline.jar").toAbsolutePath().normalize();
        String command = java + " -jar " + jar + " serve --config {config} --port {port} --host 127.0.0.1";
        FleetLauncher fleet = new FleetLauncher(
                List.of(
                        new CommandLauncher(command, OUT.toAbsolutePath().resolve("replica-1.log")),
                        new CommandLauncher(command, OUT.toAbsolutePath().resolve("replica-2.log"))),
                redis.url());
        report = ConformanceRun.run(
                "keyline (2 replicas, Redis)",
                GatewayProfile.named("keyline"),
                fleet,
                OUT.toAbsolutePath(),
                KeylineConformanceTest.SEED,
                FLEET_CASES);
        ReportWriter.write(report, OUT);
    }

    @AfterAll
    static void stopRedis() {
        if (redis != null) {
            redis.close();
        }
    }

    @TestFactory
    Stream<DynamicTest> aFleetHoldsEveryProperty() {
        return report.results().stream()
                .map(result -> DynamicTest.dynamicTest(
                        result.id(),
                        () -> assertEquals("passed", result.status(), result.id() + ": " + result.counterexample())));
    }
}
