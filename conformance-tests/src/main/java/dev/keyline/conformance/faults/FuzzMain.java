package dev.keyline.conformance.faults;

import dev.keyline.conformance.kit.CommandLauncher;
import java.nio.file.Path;

/** {@code ./keyline fuzz [--requests N] [--seed S] [--out DIR]}: exit 0 when the run is clean, 1 otherwise. */
public final class FuzzMain {

    private FuzzMain() {}

    public static void main(String[] args) throws Exception {
        int requests = 10_000;
        long seed = 20_261_129L;
        Path out = Path.of("target", "fuzz");
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--requests" -> requests = Integer.parseInt(args[++i]);
                case "--seed" -> seed = Long.parseLong(args[++i]);
                case "--out" -> out = Path.of(args[++i]);
                default -> {
                    System.err.println("keyline fuzz: unknown option " + args[i]);
                    System.exit(2);
                }
            }
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
