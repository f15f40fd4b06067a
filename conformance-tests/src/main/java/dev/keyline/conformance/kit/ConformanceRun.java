package dev.keyline.conformance.kit;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;

/** One run of the kit: fakes up, configuration written, gateway launched, every property judged. */
public final class ConformanceRun {

    private ConformanceRun() {}

    /** A property's result in a run: {@code passed}, {@code failed} (with a counterexample) or {@code not-applicable}. */
    public record Result(String id, String title, String status, String counterexample, List<String> hops) {
        public boolean failed() {
            return status.equals("failed");
        }
    }

    /** What a run produced. */
    public record Report(
            String gateway,
            String surface,
            String version,
            long seed,
            int cases,
            long millis,
            List<String> capabilities,
            String config,
            List<Result> results) {
        public boolean passed() {
            return results.stream().noneMatch(Result::failed);
        }
    }

    /**
     * @param gateway  a name for the report
     * @param launcher how to start or reach the gateway
     * @param workDir  where the configuration and the gateway's log go
     * @param seed     the seed every property's cases come from
     * @param cases    cases per property
     */
    public static Report run(String gateway, GatewayLauncher launcher, Path workDir, long seed, int cases)
            throws Exception {
        return run(gateway, GatewayProfile.named("keyline"), launcher, workDir, seed, cases);
    }

    /**
     * @param profile how to configure and address the gateway, and which properties it claims
     */
    public static Report run(
            String gateway, GatewayProfile profile, GatewayLauncher launcher, Path workDir, long seed, int cases)
            throws Exception {
        return run(gateway, profile, Surface.MESSAGES, launcher, workDir, seed, cases);
    }

    /**
     * @param surface the front door the properties are asked through
     * @throws IllegalArgumentException when the profile does not declare the chat door and {@code surface} is chat
     */
    public static Report run(
            String gateway,
            GatewayProfile profile,
            Surface surface,
            GatewayLauncher launcher,
            Path workDir,
            long seed,
            int cases)
            throws Exception {
        return run(gateway, profile, surface, launcher, workDir, seed, cases, UnaryOperator.identity());
    }

    /** @param rewrite what reaches the fake deployments is first rewritten so (the kit's own tests) */
    static Report run(
            String gateway,
            GatewayProfile profile,
            Surface surface,
            GatewayLauncher launcher,
            Path workDir,
            long seed,
            int cases,
            UnaryOperator<String> rewrite)
            throws Exception {
        if (surface == Surface.CHAT && !profile.can(Capability.CHAT_DOOR)) {
            throw new IllegalArgumentException("profile " + profile.name() + " does not declare "
                    + Capability.CHAT_DOOR.id() + ", so it cannot be judged with --surface chat");
        }
        long started = System.nanoTime();
        Files.createDirectories(workDir);
        Files.createDirectories(GatewayProfile.home(workDir));
        List<Result> results = new ArrayList<>();
        String configText;
        String version = "";
        try (FakeUpstreams fakes = new FakeUpstreams(seed, profile, rewrite)) {
            int port = freePort();
            Path config = profile.configPath(workDir);
            Files.createDirectories(config.getParent());
            String written = profile.config(fakes, port);
            Files.writeString(config, written);
            configText = maskKeys(written, fakes);
            try (GatewayLauncher.RunningGateway running = launcher.launch(config, fakes.environment(), port)) {
                if (surface == Surface.CHAT) {
                    results.addAll(chatSurface(running, fakes, profile, seed, cases));
                    return report(gateway, surface, "", seed, cases, started, profile, configText, results);
                }
                GatewayClient client = new GatewayClient(running.baseUrl(), fakes, profile);
                PropertyJudge judge = new PropertyJudge(client, fakes);
                for (KitProperty property : KitProperty.values()) {
                    results.add(judged(property, judge, running, profile, seed, cases));
                }
                ErrorKit errors = new ErrorKit(running.baseUrl(), fakes, profile);
                for (ErrorKit.ErrorProperty property : ErrorKit.ErrorProperty.values()) {
                    results.add(result(property.id, property.title, errors.judge(property, seed, cases)));
                }
                results.add(notApplicable(LoopFaultKit.ID, LoopFaultKit.TITLE, LoopFaultKit.NEEDS, profile)
                        .orElseGet(() -> result(
                                LoopFaultKit.ID,
                                LoopFaultKit.TITLE,
                                new LoopFaultKit(running.baseUrl(), fakes, profile).judge())));
                results.add(notApplicable(StreamRescueKit.ID, StreamRescueKit.TITLE, StreamRescueKit.NEEDS, profile)
                        .orElseGet(() -> result(
                                StreamRescueKit.ID,
                                StreamRescueKit.TITLE,
                                new StreamRescueKit(running.baseUrl(), fakes, profile).judge(seed, cases))));
                results.add(notApplicable(CountTokensKit.ID, CountTokensKit.TITLE, CountTokensKit.NEEDS, profile)
                        .orElseGet(() -> result(
                                CountTokensKit.ID,
                                CountTokensKit.TITLE,
                                new CountTokensKit(running.baseUrl(), fakes, profile).judge(seed, cases))));
                version = client.version();
            }
        }
        return report(gateway, surface, version, seed, cases, started, profile, configText, results);
    }

    private static Report report(
            String gateway,
            Surface surface,
            String version,
            long seed,
            int cases,
            long started,
            GatewayProfile profile,
            String configText,
            List<Result> results) {
        List<String> capabilities =
                profile.capabilities().stream().sorted().map(Capability::id).toList();
        return new Report(
                gateway,
                surface.id(),
                version,
                seed,
                cases,
                (System.nanoTime() - started) / 1_000_000,
                capabilities,
                configText,
                results);
    }

    /** The properties an OpenAI client can judge, asked through {@code /v1/chat/completions}. */
    private static List<Result> chatSurface(
            GatewayLauncher.RunningGateway running, FakeUpstreams fakes, GatewayProfile profile, long seed, int cases) {
        List<Result> results = new ArrayList<>();
        ChatClient client = new ChatClient(running.baseUrl(), fakes, profile);
        PropertyJudge judge = new PropertyJudge(client, fakes);
        for (KitProperty property : Surface.CHAT_PROPERTIES) {
            results.add(judged(property, judge, running, profile, seed, cases));
        }
        results.add(result(
                ErrorKit.ErrorProperty.ERROR_SHAPE.id,
                "bad input and upstream failures give OpenAI error objects with fitting statuses",
                new ChatErrorKit(client, fakes, profile).judge(seed, cases)));
        return results;
    }

    /** One property's result, or why it does not apply to this gateway, or to how the kit reaches it. */
    private static Result judged(
            KitProperty property,
            PropertyJudge judge,
            GatewayLauncher.RunningGateway running,
            GatewayProfile profile,
            long seed,
            int cases) {
        Optional<Result> skipped = notApplicable(property.id, property.title, property.needs, profile);
        if (skipped.isPresent()) {
            return skipped.get();
        }
        if (property == KitProperty.NO_ENV_FALLBACK && !running.environmentControlled()) {
            return new Result(
                    property.id,
                    property.title,
                    "not-applicable",
                    "the kit does not control this gateway's environment",
                    List.of());
        }
        return result(property.id, property.title, judge.judge(property, seed, cases));
    }

    /** A property that needs what the gateway lacks is neither run nor counted: it says which capability. */
    private static Optional<Result> notApplicable(
            String id, String title, Set<Capability> needs, GatewayProfile profile) {
        return profile.lacksAny(needs)
                .map(lacking -> new Result(
                        id,
                        title,
                        "not-applicable",
                        "needs " + lacking.id() + " (" + lacking.meaning() + "), which " + profile.name()
                                + " does not declare",
                        List.of()));
    }

    /** Keys the kit made up are still keys: the report shows none of them. */
    private static String maskKeys(String config, FakeUpstreams fakes) {
        String masked = config.replace(FakeUpstreams.GATEWAY_KEY, KitProperty.mask(FakeUpstreams.GATEWAY_KEY));
        for (FakeDeployment d : fakes.deployments.values()) {
            masked = masked.replace(d.key, KitProperty.mask(d.key));
        }
        return masked.replace(fakes.searchKey, KitProperty.mask(fakes.searchKey));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static Result result(String id, String title, PropertyJudge.Verdict verdict) {
        return new Result(id, title, verdict.passed() ? "passed" : "failed", verdict.counterexample(), verdict.hops());
    }
}
