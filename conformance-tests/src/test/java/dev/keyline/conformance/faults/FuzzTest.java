package dev.keyline.conformance.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keyline.conformance.kit.CommandLauncher;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** A short fuzz run against the built jar (the long one is {@code ./keyline fuzz}). */
class FuzzTest {

    @Test
    void badRequests_getNo5xx_noHang_andShowNoKey() throws Exception {
        Path out = Path.of("target", "fuzz").toAbsolutePath();
        String java = ProcessHandle.current().info().command().orElse("java");
        Path jar =
                Path.of("..", "app", "target", "keyline.jar").toAbsolutePath().normalize();

        Fuzz.Report report = Fuzz.run(
                new CommandLauncher(
                        java + " -jar " + jar + " serve --config {config} --port {port} --host 127.0.0.1",
                        out.resolve("gateway.log")),
                out,
                System.nanoTime(),
                1_000);

        assertTrue(report.clean(), report.summary());
        assertEquals(BadRequests.KINDS.size(), report.byKind().size(), "every kind of fault was sent");
    }
}
