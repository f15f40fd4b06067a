package dev.keyline.conformance.faults;

import dev.keyline.conformance.faults.FaultScenario.Deploy;
import dev.keyline.conformance.faults.FaultScenario.Tempo;
import dev.keyline.conformance.kit.GatewayLauncher;
import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Runs every fault scenario against a gateway started with one configuration holding them all, and grades each:
 * the project's own crash test ({@code ./keyline faults}; the test suite runs it with a quick tempo).
 */
public final class FaultSuite {

    /** The key every faulty deployment holds; no answer and no log line may show it. */
    static final String KEY = "sk-fault-key-8c4e1f07d2b9a6";

    private FaultSuite() {}

    /** One scenario's grade, and the protocol its faulty upstream spoke ({@code anthropic} or {@code openai}). */
    public record Result(String id, String upstream, String fault, Verdict.Grade grade, String detail) {}

    /** Every result on one front door, and whether the key showed anywhere. */
    public record Scorecard(List<Result> results, Tempo tempo, boolean keyLeaked, String door) {
        public Map<Verdict.Grade, Long> counts() {
            Map<Verdict.Grade, Long> counts = new EnumMap<>(Verdict.Grade.class);
            for (Verdict.Grade grade : Verdict.Grade.values()) {
                counts.put(
                        grade, results.stream().filter(r -> r.grade() == grade).count());
            }
            return counts;
        }

        public String markdown() {
            StringBuilder md = new StringBuilder();
            Map<Verdict.Grade, Long> counts = counts();
            md.append("**")
                    .append(counts.get(Verdict.Grade.PASS))
                    .append(" pass, ")
                    .append(counts.get(Verdict.Grade.PARTIAL))
                    .append(" partial, ")
                    .append(counts.get(Verdict.Grade.SAFE))
                    .append(" safe, ")
                    .append(counts.get(Verdict.Grade.FAIL))
                    .append(" fail** of ")
                    .append(results.size())
                    .append(keyLeaked ? "; THE KEY SHOWED in an answer or the log" : "; the key showed nowhere")
                    .append(" (door: ")
                    .append(door)
                    .append(", tempo: ")
                    .append(tempo)
                    .append(")\n\n| Scenario | Upstream | Fault | Verdict | What happened |\n|---|---|---|---|---|\n");
            for (Result result : results) {
                md.append("| `")
                        .append(result.id())
                        .append("` | ")
                        .append(result.upstream())
                        .append(" | ")
                        .append(result.fault())
                        .append(" | ")
                        .append(result.grade())
                        .append(" | ")
                        .append(result.detail().replace("|", "\\|"))
                        .append(" |\n");
            }
            return md.toString();
        }
    }

    /**
     * @param launcher starts the gateway with the suite's configuration
     * @param work     where the configuration and the gateway's log go
     */
    public static Scorecard run(GatewayLauncher launcher, Path work, Tempo tempo) throws Exception {
        return run(launcher, work, tempo, true, Door.MESSAGES);
    }

    /**
     * @param streamResume whether the gateway rescues broken streams ({@code router_settings.stream_resume})
     * @param door         the front door the client calls; every scenario is judged in its shapes
     */
    public static Scorecard run(GatewayLauncher launcher, Path work, Tempo tempo, boolean streamResume, Door door)
            throws Exception {
        List<FaultScenario> scenarios = new ArrayList<>(FaultScenarios.all());
        scenarios.addAll(FaultScenarios.openAiUpstream());
        Files.createDirectories(work);
        try (FaultyUpstream upstream = new FaultyUpstream()) {
            scenarios.forEach(s -> s.setup().teach(upstream, tempo));
            Path config = work.resolve("faults-config.yaml");
            Files.writeString(config, config(scenarios, upstream, tempo, streamResume));
            List<Result> results = new ArrayList<>();
            boolean leaked = false;
            try (GatewayLauncher.RunningGateway gateway = launcher.launch(config, Map.of("FAULT_KEY", KEY));
                    HttpClient http = HttpClient.newBuilder()
                            .version(HttpClient.Version.HTTP_1_1)
                            .connectTimeout(Duration.ofSeconds(5))
                            .build()) {
                Stage stage = new Stage(http, gateway.baseUrl(), upstream, tempo, door);
                for (FaultScenario scenario : scenarios) {
                    Verdict verdict;
                    try {
                        verdict = scenario.play().play(stage);
                    } catch (Exception e) {
                        verdict = Verdict.fail("the scenario broke: " + e);
                    }
                    if (stage.sawKey(KEY)) {
                        leaked = true;
                        verdict = Verdict.fail("the deployment's key reached the client; " + verdict.detail());
                    }
                    String protocol = scenario.deployments().stream()
                                    .anyMatch(d -> d.settings()
                                            .getOrDefault("model", "")
                                            .startsWith("openai/"))
                            ? "openai"
                            : "anthropic";
                    results.add(
                            new Result(scenario.id(), protocol, scenario.fault(), verdict.grade(), verdict.detail()));
                }
            }
            leaked |= logsShowKey(work);
            return new Scorecard(results, tempo, leaked, door.id);
        }
    }

    private static boolean logsShowKey(Path work) throws IOException {
        try (var files = Files.list(work)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".log")).toList()) {
                if (Files.readString(file).contains(KEY)) {
                    return true;
                }
            }
        }
        return false;
    }

    static String config(List<FaultScenario> scenarios, FaultyUpstream upstream, Tempo tempo, boolean streamResume) {
        StringBuilder yaml = new StringBuilder("model_list:\n");
        for (FaultScenario scenario : scenarios) {
            for (Deploy deploy : scenario.deployments()) {
                yaml.append("  - model_name: ")
                        .append(deploy.group())
                        .append("\n    litellm_params:\n      model: ")
                        .append(deploy.settings().getOrDefault("model", "anthropic/fault-model"))
                        .append("\n      api_base: ")
                        .append(upstream.base(deploy.behaviour()))
                        .append("\n      api_key: os.environ/FAULT_KEY\n");
                deploy.settings().entrySet().stream()
                        .filter(setting -> !setting.getKey().equals("model"))
                        .forEach(setting -> yaml.append("      ")
                                .append(setting.getKey())
                                .append(": ")
                                .append(setting.getValue()
                                        .replace("FIRST_BYTE", Double.toString(tempo.firstByteSeconds()))
                                        .replace("STALL", Double.toString(tempo.stallSeconds())))
                                .append('\n'));
                yaml.append("    model_info:\n      id: ")
                        .append(deploy.behaviour())
                        .append('\n');
            }
        }
        yaml.append("router_settings:\n  num_retries: 2\n");
        if (!streamResume) {
            yaml.append("  stream_resume: false\n");
        }
        yaml.append(fallbacks(
                "fallbacks",
                scenarios.stream()
                        .flatMap(s -> s.fallbacks().entrySet().stream())
                        .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue))));
        yaml.append(fallbacks(
                "context_window_fallbacks",
                scenarios.stream()
                        .flatMap(s -> s.contextWindowFallbacks().entrySet().stream())
                        .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue))));
        yaml.append("litellm_settings:\n  callbacks: [\"websearch_interception\"]\n")
                .append("search_tools:\n  - search_tool_name: searxng\n    litellm_params:\n")
                .append("      search_provider: searxng\n      api_base: ")
                .append(upstream.base("searxng"))
                .append('\n');
        return yaml.toString();
    }

    private static String fallbacks(String key, Map<String, List<String>> map) {
        if (map.isEmpty()) {
            return "";
        }
        StringBuilder yaml = new StringBuilder("  " + key + ":\n");
        map.forEach((group, targets) -> yaml.append("    - ")
                .append(group)
                .append(": [")
                .append(String.join(", ", targets))
                .append("]\n"));
        return yaml.toString();
    }
}
