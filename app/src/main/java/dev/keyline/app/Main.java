package dev.keyline.app;

import dev.keyline.app.cli.DemoOptions;
import dev.keyline.app.cli.KeysCommand;
import dev.keyline.app.cli.ServeOptions;
import dev.keyline.app.config.ConfigException;
import dev.keyline.app.config.ConfigLoader;
import dev.keyline.app.config.GatewayConfig;
import dev.keyline.app.logging.JsonLineFormatter;
import dev.keyline.app.logging.WireLogging;
import dev.keyline.app.search.SearchEngines;
import dev.keyline.domain.deployment.ModelGroups;
import io.helidon.logging.common.LogConfig;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.System.Logger.Level;
import java.lang.ref.Reference;
import java.time.InstantSource;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/** {@code keyline serve --config FILE [--port N] [--host ADDR]}, {@code check}, {@code demo} and {@code health}. */
public final class Main {

    private static final System.Logger LOG = System.getLogger(Main.class.getName());
    private static final String USAGE = "usage: keyline serve --config FILE [--port N] [--host ADDR]"
            + " [--ssl_certfile_path PEM --ssl_keyfile_path PEM]\n"
            + "       keyline check --config FILE\n"
            + "       keyline demo [--port N] [--host ADDR]\n"
            + "       keyline health [--port N] [--host ADDR]\n"
            + "       keyline keys create|list|revoke … (keyline keys for its options)";

    private Main() {}

    public static void main(String[] args) throws InterruptedException {
        System.exit(run(Arrays.asList(args), System.out, System.err));
    }

    static int run(List<String> args, PrintStream out, PrintStream err) throws InterruptedException {
        if (!args.isEmpty() && args.getFirst().equals("demo")) {
            return demo(args.subList(1, args.size()), out, err);
        }
        if (!args.isEmpty() && args.getFirst().equals("keys")) {
            return new KeysCommand(out, err, System.getenv()).run(args.subList(1, args.size()));
        }
        if (!args.isEmpty() && args.getFirst().equals("health")) {
            return HealthProbe.run(args.subList(1, args.size()), out, err);
        }
        if (!args.isEmpty() && args.getFirst().equals("train")) {
            // The launcher's training run for the JVM's ahead-of-time cache; not a user command.
            LogConfig.configureRuntime();
            try {
                return AotTraining.run(err);
            } catch (IOException e) {
                err.println("keyline train: " + e.getMessage());
                return 1;
            }
        }
        if (!args.isEmpty() && args.getFirst().equals("check")) {
            return check(args.subList(1, args.size()), out, err);
        }
        if (args.isEmpty() || !args.getFirst().equals("serve")) {
            err.println(USAGE);
            return 2;
        }
        ServeOptions options;
        try {
            options = ServeOptions.parse(args.subList(1, args.size()));
        } catch (IllegalArgumentException e) {
            err.println("keyline: " + e.getMessage());
            err.println(USAGE);
            return 2;
        }
        // Jackson's and Helidon's one-off set-up run on a second core while this thread sets up logging and reads the
        // file. Nothing is sent before the wire loggers below are capped: the warm-up only builds, and discards.
        StartupWarmUp.start();
        LogConfig.configureRuntime();
        // Helidon's wire loggers write keys and message bodies at debug; they stay capped for the process's life.
        WireLogging wire = WireLogging.capped();
        GatewayConfig config;
        try {
            // The one place the process environment is read; the loader resolves only os.environ/NAME references.
            config = new ConfigLoader(System.getenv()).load(options.config());
        } catch (ConfigException e) {
            err.println("keyline: " + e.getMessage());
            return 2;
        }
        if (options.tls().isPresent()) {
            config = config.withServerTls(options.tls().get());
        }
        if (config.operations().jsonLogs()) {
            JsonLineFormatter.useForAllHandlers();
        }
        config.warnings().forEach(warning -> LOG.log(Level.WARNING, warning));
        if (!config.masterKey().isPresent()) {
            LOG.log(
                    Level.WARNING,
                    "general_settings.master_key is not set: anyone who can reach this port may use "
                            + "the gateway and its keys");
        }
        long started = System.nanoTime();
        KeylineServer server;
        try {
            server = KeylineServer.start(config, options.host(), options.port(), InstantSource.system());
        } catch (ConfigException e) {
            err.println("keyline: " + e.getMessage());
            return 2;
        } catch (StartupException e) {
            err.println("keyline: " + e.getMessage());
            return 1;
        }
        ModelGroups groups = ModelGroups.of(config.deployments());
        LOG.log(
                Level.INFO,
                "Keyline listening on {0} with {1}, {2} ({3} ms to start)",
                server.baseUrl(),
                count(groups.all().size(), "model group"),
                count(groups.deploymentCount(), "deployment"),
                (System.nanoTime() - started) / 1_000_000);
        long intercepted =
                config.deployments().stream().filter(config::intercepts).count();
        if (intercepted > 0) {
            LOG.log(
                    Level.INFO,
                    "web search: Keyline runs the searches for {0}, with {1}",
                    count((int) intercepted, "deployment"),
                    SearchEngines.describe(config));
        }
        if (config.keys().enabled()) {
            LOG.log(
                    Level.INFO,
                    "virtual keys: issued at POST /key/generate (or ./keyline keys create), kept in {0}",
                    server.keysDescription());
        }
        awaitShutdown(server);
        Reference.reachabilityFence(wire);
        return 0;
    }

    /** {@code keyline check --config FILE}: every finding with its key path; exit 0 when the file would serve. */
    private static int check(List<String> args, PrintStream out, PrintStream err) {
        ServeOptions options;
        try {
            options = ServeOptions.parse(args);
        } catch (IllegalArgumentException e) {
            err.println("keyline: " + e.getMessage());
            err.println(USAGE);
            return 2;
        }
        GatewayConfig config;
        try {
            config = new ConfigLoader(System.getenv()).load(options.config());
            // What serve builds before it listens, built and put away: the two refuse the same files.
            Preflight.of(config);
        } catch (ConfigException e) {
            e.problems().forEach(problem -> out.println("problem: " + problem));
            out.println(options.config() + ": " + count(e.problems().size(), "problem") + "; Keyline would not start");
            return 2;
        }
        config.warnings().forEach(warning -> out.println("warning: " + warning));
        ModelGroups groups = ModelGroups.of(config.deployments());
        out.println(options.config() + ": OK, " + count(groups.deploymentCount(), "deployment") + " in "
                + count(groups.all().size(), "model group")
                + (config.warnings().isEmpty()
                        ? ""
                        : ", " + count(config.warnings().size(), "warning")));
        return 0;
    }

    static String count(int n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }

    private static int demo(List<String> args, PrintStream out, PrintStream err) throws InterruptedException {
        DemoOptions options;
        try {
            options = DemoOptions.parse(args);
        } catch (IllegalArgumentException e) {
            err.println("keyline: " + e.getMessage());
            err.println(USAGE);
            return 2;
        }
        LogConfig.configureRuntime();
        // Helidon's wire loggers write keys and message bodies at debug; they stay capped for the process's life.
        WireLogging wire = WireLogging.capped();
        Demo.Running demo;
        try {
            demo = Demo.start(options);
        } catch (StartupException e) {
            err.println("keyline: " + e.getMessage());
            return 1;
        }
        Demo.explain(demo, out);
        awaitShutdown(demo);
        Reference.reachabilityFence(wire);
        return 0;
    }

    private static void awaitShutdown(AutoCloseable running) throws InterruptedException {
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            try {
                                running.close();
                            } catch (Exception e) {
                                LOG.log(
                                        Level.WARNING,
                                        "shutting down: " + e.getClass().getSimpleName());
                            }
                            stopped.countDown();
                        },
                        "keyline-shutdown"));
        stopped.await();
    }
}
