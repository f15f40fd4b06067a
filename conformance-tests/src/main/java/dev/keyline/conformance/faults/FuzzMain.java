package dev.keyline.conformance.faults;

import dev.keyline.conformance.kit.CommandLauncher;
import dev.keyline.conformance.kit.OptionValues;
import java.nio.file.Path;
import java.util.List;

/** {@code ./keyline fuzz [--requests N] [--seed S] [--out DIR]}: exit 0 when the run is clean, 1 otherwise. */
public final class FuzzMain {

    private FuzzMain() {}

    public static void main(String[] args) throws Exception {
        int requests = 10_000;
        long seed = 20_261_129L;
        Path out = Path.of("target", "fuzz");
        List<String> given = List.of(args);
        try {
            for (int i = 0; i < given.size(); i++) {
                switch (given.get(i)) {
                    case "--help", "-h" -> {
                        System.out.println("usage: keyline fuzz [--requests N] [--seed S] [--out DIR]");
                        return;
                    }
                    case "--requests" -> requests = (int) OptionValues.wholeNumber(given, i++);
                    case "--seed" -> seed = OptionValues.wholeNumber(given, i++);
                    case "--out" -> out = Path.of(OptionValues.value(given, i++));
                    default -> throw new OptionValues.Refused("unknown option " + given.get(i));
                }
            }
        } catch (OptionValues.Refused e) {
            System.err.println(
                    "keyline fuzz: " + e.getMessage() + "; usage: keyline fuzz [--requests N] [--seed S] [--out DIR]");
            System.exit(2);
        }
        Path root = Path.of(System.getProperty("keyline.root", "."));
        String java = ProcessHandle.current().info().command().orElse("java");
        out = out.toAbsolutePath();
        Fuzz.Report report = Fuzz.run(
                new CommandLauncher(
                        java + " -jar " + root.resolve("app/target/keyline.jar").toAbsolutePath()
                                + " serve --config {config} --port {port} --host 127.0.0.1",
                        out.resolve("gateway.log")),
                out,
                seed,
                requests);
        System.out.println(report.summary());
        System.exit(report.clean() ? 0 : 1);
    }
}
