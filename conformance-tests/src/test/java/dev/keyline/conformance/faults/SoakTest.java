package dev.keyline.conformance.faults;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keyline.conformance.kit.CommandLauncher;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A short soak against the built jar (the long one is {@code ./keyline soak}). */
class SoakTest {

    @Test
    void streamsEndWholeOrWhereTheClientLeft_andALeavingClientsUpstreamIsClosedPromptly() throws Exception {
        Path out = Path.of("target", "soak").toAbsolutePath();
        String java = ProcessHandle.current().info().command().orElse("java");
        Path jar =
                Path.of("..", "app", "target", "keyline.jar").toAbsolutePath().normalize();

        Soak.Report report = Soak.run(
                new CommandLauncher(
                        java + " -jar " + jar + " serve --config {config} --port {port} --host 127.0.0.1",
                        out.resolve("gateway.log")),
                out,
                100,
                Duration.ofSeconds(10),
                7);

        assertTrue(report.clean(), report.summary());
        assertTrue(report.completed() > 0 && report.left() > 0, report.summary());
    }
}
