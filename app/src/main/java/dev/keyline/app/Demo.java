package dev.keyline.app;

import dev.keyline.adapters.search.OfflineSearchEngine;
import dev.keyline.app.cli.DemoOptions;
import dev.keyline.app.config.ConfigLoader;
import dev.keyline.app.config.GatewayConfig;
import dev.keyline.app.demo.SimulatedModel;
import dev.keyline.app.demo.SimulatedModelServer;
import dev.keyline.domain.deployment.Credentials;
import dev.keyline.domain.keys.Budget;
import dev.keyline.domain.keys.Grant;
import dev.keyline.domain.keys.Limits;
import dev.keyline.domain.keys.Usd;
import dev.keyline.ports.in.KeyAdminUseCase;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.time.InstantSource;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * {@code keyline demo}: the gateway in front of the simulated model, searching the bundled offline corpus, with
 * virtual keys on the embedded database: a master key for the operator and a second key with a $0.01 budget, priced
 * like a real model and a paid search engine, so a newcomer sees a budget run out. Everything lives in a temporary
 * folder removed at stop.
 */
final class Demo {

    static final String MODEL = "keyline-demo";
    static final String BUDGETED_ALIAS = "demo-budget";
    static final Usd BUDGET = Usd.of("0.01");

    private Demo() {}

    /**
     * The running demo: the simulator and the gateway in front of it.
     *
     * @param masterKey   the operator's key, for the admin API and any request
     * @param budgetedKey a virtual key with a {@link #BUDGET} budget
     * @param folder      where its database and corpus live, removed at close
     */
    record Running(
            SimulatedModelServer simulator, KeylineServer gateway, String masterKey, String budgetedKey, Path folder)
            implements AutoCloseable {
        @Override
        public void close() {
            try {
                gateway.close();
                simulator.close();
            } finally {
                try (Stream<Path> files = Files.walk(folder)) {
                    files.sorted(Comparator.reverseOrder())
                            .forEach(p -> p.toFile().delete());
                } catch (IOException e) {
                    // A temporary folder left behind is harmless.
                }
            }
        }
    }

    static Running start(DemoOptions options) {
        SecureRandom random = new SecureRandom();
        Credentials simulatorKey = Credentials.of("sk-simulator-" + hex(random));
        String masterKey = "sk-demo-master-" + hex(random);
        KeylineServer.ensureFree(options.host(), options.port());
        Path folder;
        try {
            folder = Files.createTempDirectory("keyline-demo-");
        } catch (IOException e) {
            throw new UncheckedIOException("could not make the demo's temporary folder", e);
        }
        SimulatedModelServer simulator = SimulatedModelServer.start(simulatorKey);
        // The demo names its corpus as a file, the way a user opts into the offline engine; serve has no default.
        Path corpus = writeBundledCorpus(folder);
        // Prices of a mid-size Claude model per token, and of a paid search API per search.
        String yaml = """
                model_list:
                  - model_name: %s
                    litellm_params:
                      model: anthropic/%s
                      api_base: %s
                      api_key: os.environ/SIMULATOR_KEY
                      input_cost_per_token: 3e-6
                      output_cost_per_token: 1.5e-5
                litellm_settings:
                  callbacks: ["websearch_interception"]
                  websearch_interception_params:
                    enabled_providers: ["anthropic"]
                search_tools:
                  - search_tool_name: demo-corpus
                    litellm_params:
                      search_provider: offline
                      corpus: "%s"
                      input_cost_per_query: 0.005
                general_settings:
                  master_key: os.environ/DEMO_MASTER_KEY
                """.formatted(MODEL, SimulatedModel.MODEL_NAME, simulator.baseUrl(), corpus);
        try {
            GatewayConfig config = new ConfigLoader(
                            Map.of("SIMULATOR_KEY", simulatorKey.reveal().orElseThrow(), "DEMO_MASTER_KEY", masterKey))
                    .parse(yaml, folder.resolve("demo.yaml").toString());
            KeylineServer gateway = KeylineServer.start(config, options.host(), options.port(), InstantSource.system());
            try {
                String budgeted = gateway.keyAdmin()
                        .orElseThrow()
                        .generate(new KeyAdminUseCase.KeySpec(
                                Optional.of(BUDGETED_ALIAS),
                                new Grant(
                                        Set.of(MODEL), new Budget(Optional.of(BUDGET), Optional.empty()), Limits.NONE),
                                Optional.empty(),
                                Optional.of("demo"),
                                "{}",
                                Optional.empty()))
                        .secret();
                return new Running(simulator, gateway, masterKey, budgeted, folder);
            } catch (RuntimeException e) {
                gateway.close();
                throw e;
            }
        } catch (RuntimeException e) {
            simulator.close();
            throw e;
        }
    }

    private static String hex(SecureRandom random) {
        byte[] secret = new byte[12];
        random.nextBytes(secret);
        return HexFormat.of().formatHex(secret);
    }

    private static Path writeBundledCorpus(Path folder) {
        try (InputStream in = OfflineSearchEngine.bundledCorpusStream()) {
            Path file = folder.resolve("corpus.jsonl");
            Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("could not write the demo corpus to a temporary file", e);
        }
    }

    static void explain(Running demo, PrintStream out) {
        String url = demo.gateway().baseUrl();
        String search = "'{\"model\":\"" + MODEL + "\",\"max_tokens\":512,\"tools\":[{\"type\":\"web_search_20250305\","
                + "\"name\":\"web_search\",\"max_uses\":3}],\"messages\":[{\"role\":\"user\",\"content\":\"When was"
                + " Java 25 released?\"}]}'";
        out.println();
        out.println("Keyline demo is running at " + url);
        out.println("  upstream: a SIMULATED model (not a real LLM) at "
                + demo.simulator().baseUrl() + ", which cannot run server tools;");
        out.println("  search:   Keyline's offline engine over a small bundled corpus; no network.");
        out.println("  keys:     the master key  " + demo.masterKey());
        out.println("            a budgeted key  " + demo.budgetedKey() + "  ('" + BUDGETED_ALIAS + "', " + BUDGET
                + " budget)");
        out.println("            kept in an embedded database, removed when the demo stops.");
        out.println();
        out.println("Ask it something that needs a search:");
        out.println();
        out.println("  curl -s " + url + "/v1/messages -H 'x-api-key: " + demo.masterKey()
                + "' -H 'content-type: application/json' -d " + search);
        out.println();
        out.println("The same with the budgeted key: each search costs $0.005 and the tokens Sonnet's prices, so the");
        out.println("third or so is refused with a budget error (HTTP 402). See what it spent:");
        out.println();
        out.println("  curl -s " + url + "/v1/messages -H 'x-api-key: " + demo.budgetedKey()
                + "' -H 'content-type: application/json' -d " + search);
        out.println("  curl -s '" + url + "/key/info?key=" + demo.budgetedKey() + "' -H 'x-api-key: " + demo.masterKey()
                + "'");
        out.println();
        out.println("or on the status page, " + url + "/ui/keys (sign in with the master key). Add \"stream\":true to"
                + " watch the events. Or let Claude Code search through it:");
        out.println();
        out.println("  ANTHROPIC_BASE_URL=" + url + " ANTHROPIC_API_KEY=" + demo.masterKey() + " ANTHROPIC_MODEL="
                + MODEL + " ANTHROPIC_SMALL_FAST_MODEL=" + MODEL + " \\");
        out.println("    claude -p \"Search the web: when was Java 25 released?\" --allowedTools WebSearch,ToolSearch");
        out.println();
        out.println(
                "(With the budgeted key, Claude Code's first request alone, its prompt of some 12,000 tokens, spends"
                        + " the $0.01 and the turn ends with the budget error.)");
        out.println();
        out.println("Stop with Ctrl-C.");
    }
}
