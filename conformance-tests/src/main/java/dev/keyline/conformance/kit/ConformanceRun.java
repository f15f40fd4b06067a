package dev.keyline.conformance.kit;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

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
            String gateway, String version, long seed, int cases, long millis, String config, List<Result> results) {
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
        long started = System.nanoTime();
        Files.createDirectories(workDir);
        List<Result> results = new ArrayList<>();
        String configText;
        String version = "";
        try (FakeUpstreams fakes =
                new FakeUpstreams(seed, profile.namesAuthSchemes(), profile.callsChatDeployments())) {
            Path config = workDir.resolve("gateway-config.yaml");
            Files.writeString(config, profile.config(fakes));
            configText = profile.config(fakes)
                    .replace(FakeUpstreams.GATEWAY_KEY, KitProperty.mask(FakeUpstreams.GATEWAY_KEY));
            try (GatewayLauncher.RunningGateway running = launcher.launch(config, fakes.environment())) {
                GatewayClient client = new GatewayClient(running.baseUrl(), fakes, profile);
                PropertyJudge judge = new PropertyJudge(client, fakes);
                for (KitProperty property : KitProperty.values()) {
                    if (!profile.claims(property.id)) {
                        results.add(new Result(
                                property.id,
                                property.title,
                                "not-applicable",
                                profile.name() + " does not claim it (no web-search loop)",
                                List.of()));
                        continue;
                    }
                    if (property == KitProperty.NO_ENV_FALLBACK && !running.environmentControlled()) {
                        results.add(new Result(
                                property.id,
                                property.title,
                                "not-applicable",
                                "the kit does not control this gateway's environment",
                                List.of()));
                        continue;
                    }
                    results.add(result(property.id, property.title, judge.judge(property, seed, cases)));
                }
                ErrorKit errors = new ErrorKit(running.baseUrl(), fakes, profile);
                for (ErrorKit.ErrorProperty property : ErrorKit.ErrorProperty.values()) {
                    results.add(result(property.id, property.title, errors.judge(property, seed, cases)));
                }
                results.add(
                        profile.claims(LoopFaultKit.ID)
                                ? result(
                                        LoopFaultKit.ID,
                                        LoopFaultKit.TITLE,
                                        new LoopFaultKit(running.baseUrl()).judge())
                                : new Result(
                                        LoopFaultKit.ID,
                                        LoopFaultKit.TITLE,
                                        "not-applicable",
                                        profile.name() + " does not claim it (no web-search loop)",
                                        List.of()));
                results.add(result(
                        CountTokensKit.ID,
                        CountTokensKit.TITLE,
                        new CountTokensKit(running.baseUrl(), fakes, profile).judge(seed, cases)));
                version = client.version();
            }
        }
        return new Report(
                gateway, version, seed, cases, (System.nanoTime() - started) / 1_000_000, configText, results);
    }

    private static Result result(String id, String title, PropertyJudge.Verdict verdict) {
        return new Result(id, title, verdict.passed() ? "passed" : "failed", verdict.counterexample(), verdict.hops());
    }
}
