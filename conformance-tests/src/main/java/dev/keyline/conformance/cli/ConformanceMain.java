package dev.keyline.conformance.cli;

import dev.keyline.conformance.kit.Capability;
import dev.keyline.conformance.kit.CommandLauncher;
import dev.keyline.conformance.kit.ConformanceRun;
import dev.keyline.conformance.kit.ContainerLauncher;
import dev.keyline.conformance.kit.FleetLauncher;
import dev.keyline.conformance.kit.GatewayLauncher;
import dev.keyline.conformance.kit.GatewayProfile;
import dev.keyline.conformance.kit.OptionValues;
import dev.keyline.conformance.kit.ReportWriter;
import dev.keyline.conformance.kit.SelfTest;
import dev.keyline.conformance.kit.Surface;
import dev.keyline.conformance.kit.UrlLauncher;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.logging.LogManager;

/**
 * {@code keyline conformance [--gateway-cmd CMD | --gateway-url URL] [--profile keyline] [--cases N] [--seed S]
 * [--out DIR]}: runs the kit and writes the report; exits 1 when a property failed.
 */
public final class ConformanceMain {

    private static final String USAGE = "usage: keyline conformance [--profile keyline|litellm|portkey|FILE] "
            + "[--gateway-cmd 'CMD {config} {port}' | --gateway-url URL | --gateway-image IMAGE [--gateway-cmd ARGS]] "
            + "[--surface messages|chat] [--cases N] [--seed S] [--out DIR] [--replicas N --redis-url URL]\n"
            + "       keyline conformance --self-test [--surface messages|chat] [--cases N] [--seed S]   (each property against a Keyline"
            + " mutant that breaks it)";

    private ConformanceMain() {}

    public static void main(String[] args) throws Exception {
        System.exit(run(Arrays.asList(args), System.out, System.err));
    }

    static int run(List<String> args, PrintStream out, PrintStream err) throws Exception {
        String command = null;
        String url = null;
        String image = null;
        int cases = 20;
        long seed = 20_261_124L;
        Path dir = Path.of("conformance-out");
        String profile = "keyline";
        String surface = "messages";
        boolean selfTest = false;
        int replicas = 1;
        String redisUrl = null;
        try {
            for (int i = 0; i < args.size(); i++) {
                String name = args.get(i);
                switch (name) {
                    case "--help", "-h" -> {
                        out.println(USAGE);
                        return 0;
                    }
                    case "--self-test" -> selfTest = true;
                    case "--gateway-cmd" -> command = OptionValues.value(args, i++);
                    case "--gateway-url" -> url = OptionValues.value(args, i++);
                    case "--gateway-image" -> image = OptionValues.value(args, i++);
                    case "--cases" -> cases = (int) OptionValues.wholeNumber(args, i++);
                    case "--seed" -> seed = OptionValues.wholeNumber(args, i++);
                    case "--out" -> dir = Path.of(OptionValues.value(args, i++));
                    case "--profile" -> profile = OptionValues.value(args, i++);
                    case "--surface" -> surface = OptionValues.value(args, i++);
                    case "--replicas" -> replicas = (int) OptionValues.wholeNumber(args, i++);
                    case "--redis-url" -> redisUrl = OptionValues.value(args, i++);
                    default -> {
                        err.println("keyline conformance: unknown option " + name + "\n" + USAGE);
                        return 2;
                    }
                }
            }
        } catch (OptionValues.Refused e) {
            err.println("keyline conformance: " + e.getMessage() + "\n" + USAGE);
            return 2;
        }
        if (selfTest) {
            // The mutants are Keyline in this process; its own log lines (and the failures the mutants provoke on
            // purpose) would bury the verdicts.
            // Helidon configures logging again when a server starts, unless a configuration file is named.
            Path quiet = Files.createTempFile("keyline-self-test-logging", ".properties");
            Files.writeString(quiet, "handlers=\n.level=OFF\n");
            quiet.toFile().deleteOnExit();
            System.setProperty("java.util.logging.config.file", quiet.toString());
            LogManager.getLogManager().readConfiguration();
            long started = System.nanoTime();
            Surface door;
            try {
                door = Surface.of(surface);
            } catch (IllegalArgumentException e) {
                err.println("keyline conformance: " + e.getMessage());
                return 2;
            }
            boolean allCaught = SelfTest.print(SelfTest.run(door, seed, cases), out);
            out.println((allCaught
                            ? "every property failed on the Keyline mutant built to break it"
                            : "a property passed on a mutant that breaks it: the kit would miss that defect")
                    + " (" + (System.nanoTime() - started) / 1_000_000 + " ms, seed " + seed + ")");
            return allCaught ? 0 : 1;
        }
        GatewayProfile gatewayProfile;
        Surface door;
        try {
            gatewayProfile = GatewayProfile.named(profile);
            door = Surface.of(surface);
            if (door == Surface.CHAT && !gatewayProfile.can(Capability.CHAT_DOOR)) {
                throw new IllegalArgumentException("profile " + gatewayProfile.name() + " does not declare "
                        + Capability.CHAT_DOOR.id() + ", so it cannot be judged with --surface chat");
            }
        } catch (IllegalArgumentException e) {
            err.println("keyline conformance: " + e.getMessage());
            return 2;
        }
        Path root = Path.of(System.getProperty("keyline.root", "."))
                .toAbsolutePath()
                .normalize();
        String java = ProcessHandle.current().info().command().orElse("java");
        Path home = GatewayProfile.home(dir.toAbsolutePath());
        Map<String, String> environment = gatewayProfile.environment(root, java, home);
        GatewayLauncher launcher;
        if (url != null) {
            launcher = new UrlLauncher(url);
        } else if (image != null) {
            launcher = new ContainerLauncher(image, command != null ? command : "--config {config} --port {port}");
        } else {
            if (command == null) {
                command = gatewayProfile.command(root, java, home);
            }
            if (command.isBlank()) {
                err.println("keyline conformance: profile " + gatewayProfile.name()
                        + " names no start command; give --gateway-cmd or --gateway-url");
                return 2;
            }
            if (replicas > 1) {
                if (redisUrl == null) {
                    err.println("keyline conformance: --replicas needs --redis-url (the Redis they share)");
                    return 2;
                }
                List<CommandLauncher> fleet = new ArrayList<>();
                for (int i = 1; i <= replicas; i++) {
                    fleet.add(new CommandLauncher(
                            command, dir.toAbsolutePath().resolve("replica-" + i + ".log"), environment));
                }
                launcher = new FleetLauncher(fleet, redisUrl);
            } else {
                launcher = new CommandLauncher(command, dir.toAbsolutePath().resolve("gateway.log"), environment);
            }
        }
        String gateway = url != null
                ? url
                : image != null
                        ? image
                        : gatewayProfile.name() + (replicas > 1 ? " (" + replicas + " replicas, Redis)" : "");
        ConformanceRun.Report report =
                ConformanceRun.run(gateway, gatewayProfile, door, launcher, dir.toAbsolutePath(), seed, cases);
        ReportWriter.write(report, dir);
        for (ConformanceRun.Result result : report.results()) {
            out.printf(
                    "%-24s %s%s%n",
                    result.id(),
                    result.failed() ? "FAILED" : result.status(),
                    result.counterexample().isEmpty() ? "" : "  " + result.counterexample());
        }
        out.println(
                "report: " + dir.resolve("conformance-report.md") + " (" + report.millis() + " ms, seed " + seed + ")");
        return report.passed() ? 0 : 1;
    }
}
