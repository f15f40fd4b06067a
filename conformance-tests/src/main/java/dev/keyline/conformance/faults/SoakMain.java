package dev.keyline.conformance.faults;

import dev.keyline.conformance.kit.CommandLauncher;
import dev.keyline.conformance.kit.OptionValues;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * {@code ./keyline soak [--streams N] [--minutes M] [--out DIR]}: the built jar run with the launcher's default JVM
 * options (those {@code ./keyline serve} uses, or {@code KEYLINE_JAVA_OPTS}); exit 0 when the run is clean.
 */
public final class SoakMain {

    /** The same as the launcher's default: G1 from a small heap, memory handed back when idle. */
    static final String DEFAULT_JAVA_OPTS =
            "-XX:+UseG1GC -Xms16m -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=30 -XX:G1PeriodicGCInterval=5000";

    private SoakMain() {}

    public static void main(String[] args) throws Exception {
        int streams = 1_000;
        double minutes = 10;
        Path out = Path.of("target", "soak");
        List<String> given = List.of(args);
        try {
            for (int i = 0; i < given.size(); i++) {
                switch (given.get(i)) {
                    case "--help", "-h" -> {
                        System.out.println("usage: keyline soak [--streams N] [--minutes M] [--out DIR]");
                        return;
                    }
                    case "--streams" -> streams = (int) OptionValues.wholeNumber(given, i++);
                    case "--minutes" -> minutes = OptionValues.number(given, i++);
                    case "--out" -> out = Path.of(OptionValues.value(given, i++));
                    default -> throw new OptionValues.Refused("unknown option " + given.get(i));
                }
            }
        } catch (OptionValues.Refused e) {
            System.err.println("keyline soak: " + e.getMessage()
                    + "; usage: keyline soak [--streams N] [--minutes M] [--out DIR]");
            System.exit(2);
        }
        Path root = Path.of(System.getProperty("keyline.root", "."));
        String java = ProcessHandle.current().info().command().orElse("java");
        String javaOpts = System.getenv().getOrDefault("KEYLINE_JAVA_OPTS", DEFAULT_JAVA_OPTS);
        out = out.toAbsolutePath();
        Soak.Report report = Soak.run(
                new CommandLauncher(
                        java + " " + javaOpts + " -jar "
                                + root.resolve("app/target/keyline.jar").toAbsolutePath()
                                + " serve --config {config} --port {port} --host 127.0.0.1",
                        out.resolve("gateway.log")),
                out,
                streams,
                Duration.ofMillis((long) (minutes * 60_000)),
                20_261_129L);
        System.out.println(report.summary());
        System.exit(report.clean() ? 0 : 1);
    }
}
