package dev.keyline.app;

import dev.keyline.adapters.search.OfflineSearchEngine;
import dev.keyline.app.cli.DemoOptions;
import dev.keyline.app.config.ConfigLoader;
import dev.keyline.app.config.GatewayConfig;
import dev.keyline.app.demo.SimulatedModel;
import dev.keyline.app.demo.SimulatedModelServer;
import dev.keyline.domain.deployment.Credentials;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.time.InstantSource;
import java.util.HexFormat;
import java.util.Map;

/** {@code keyline demo}: the gateway in front of the simulated model, searching the bundled offline corpus. */
final class Demo {

    static final String MODEL = "keyline-demo";

    private Demo() {}

    /** The running demo: the simulator and the gateway in front of it. */
    record Running(SimulatedModelServer simulator, KeylineServer gateway) implements AutoCloseable {
        @Override
        public void close() {
            gateway.close();
            simulator.close();
        }
    }

    static Running start(DemoOptions options) {
        byte[] secret = new byte[12];
        new SecureRandom().nextBytes(secret);
        Credentials simulatorKey =
                Credentials.of("sk-simulator-" + HexFormat.of().formatHex(secret));
        KeylineServer.ensureFree(options.host(), options.port());
        SimulatedModelServer simulator = SimulatedModelServer.start(simulatorKey);
        // The demo names its corpus as a file, the way a user opts into the offline engine; serve has no default.
        Path corpus = writeBundledCorpus();
        String yaml = """
                model_list:
                  - model_name: %s
                    litellm_params:
                      model: anthropic/%s
                      api_base: %s
                      api_key: os.environ/SIMULATOR_KEY
                litellm_settings:
                  callbacks: ["websearch_interception"]
                  websearch_interception_params:
                    enabled_providers: ["anthropic"]
                search_tools:
                  - search_tool_name: demo-corpus
                    litellm_params:
                      search_provider: offline
                      corpus: "%s"
                """.formatted(MODEL, SimulatedModel.MODEL_NAME, simulator.baseUrl(), corpus);
        GatewayConfig config = new ConfigLoader(
                        Map.of("SIMULATOR_KEY", simulatorKey.reveal().orElseThrow()))
                .parse(yaml, "the demo configuration");
        try {
            return new Running(
                    simulator, KeylineServer.start(config, options.host(), options.port(), InstantSource.system()));
        } catch (RuntimeException e) {
            simulator.close();
            throw e;
        }
    }

    private static Path writeBundledCorpus() {
        try (InputStream in = OfflineSearchEngine.bundledCorpusStream()) {
            Path file = Files.createTempFile("keyline-demo-corpus-", ".jsonl");
            file.toFile().deleteOnExit();
            Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("could not write the demo corpus to a temporary file", e);
        }
    }

    static void explain(Running demo, PrintStream out) {
        String url = demo.gateway().baseUrl();
        out.println();
        out.println("Keyline demo is running at " + url);
        out.println("  upstream: a SIMULATED model (not a real LLM) at "
                + demo.simulator().baseUrl() + ", which cannot run server tools;");
        out.println("  search:   Keyline's offline engine over a small bundled corpus; no network, no keys.");
        out.println();
        out.println("Ask it something that needs a search:");
        out.println();
        out.println("  curl -s " + url + "/v1/messages -H 'content-type: application/json' -d '{\"model\":\"" + MODEL
                + "\",\"max_tokens\":512,\"tools\":[{\"type\":\"web_search_20250305\",\"name\":\"web_search\","
                + "\"max_uses\":3}],\"messages\":[{\"role\":\"user\",\"content\":\"When was Java 25 released?\"}]}'");
        out.println();
        out.println(
                "Add \"stream\":true to watch the events. Or let Claude Code search through it (the key is any text:"
                        + " the demo asks for none, Claude Code wants one):");
        out.println();
        out.println("  ANTHROPIC_BASE_URL=" + url + " ANTHROPIC_API_KEY=sk-demo ANTHROPIC_MODEL=" + MODEL
                + " ANTHROPIC_SMALL_FAST_MODEL=" + MODEL + " \\");
        out.println("    claude -p \"Search the web: when was Java 25 released?\" --allowedTools WebSearch,ToolSearch");
        out.println();
        out.println("Stop with Ctrl-C.");
    }
}
