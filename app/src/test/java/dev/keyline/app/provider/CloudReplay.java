package dev.keyline.app.provider;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.keyline.app.KeylineServer;
import dev.keyline.app.config.ConfigLoader;
import dev.keyline.app.demo.SimulatedModel;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;

/**
 * Keyline in front of a Bedrock- or Vertex-shaped fake (SigV4 verified by the fake's own code and binary event
 * streams; or tokens minted only for the deployment's service account) whose model is the demo's simulated one, which
 * also plays Claude Code's deferred WebSearch: for trying Claude Code and the Anthropic TypeScript SDK against a cloud
 * by hand ({@code scripts/cloud-replay.sh}). Not a test; it runs until killed, then prints every call the fake
 * verified and what reached the environment's decoys. Arguments: {@code bedrock|vertex PORT DECOY_PORT}.
 */
public final class CloudReplay {

    private static final String CONFIG_TAIL = """
            search_tools:
              - search_tool_name: searx
                litellm_params: {search_provider: searxng, api_base: "%s"}
            litellm_settings:
              callbacks: [websearch_interception]
              websearch_interception_params: {enabled_providers: [bedrock, vertex_ai]}
            general_settings:
              master_key: sk-replay-gateway
            """;

    private CloudReplay() {}

    public static void main(String[] args) throws Exception {
        boolean bedrock = args[0].equals("bedrock");
        int port = Integer.parseInt(args[1]);
        SimulatedModel simulated = new SimulatedModel(new ObjectMapper());
        UnaryOperator<JsonNode> model = request -> simulated.answer(request).body();
        // Where this process's environment points the host's AWS, Google and Anthropic identity: it must hear nothing.
        AtomicInteger decoyHits = new AtomicInteger();
        HttpServer decoy = HttpServer.create(new InetSocketAddress("127.0.0.1", Integer.parseInt(args[2])), 0);
        decoy.createContext("/", exchange -> {
            decoyHits.incrementAndGet();
            exchange.sendResponseHeaders(401, -1);
            exchange.close();
        });
        decoy.start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("requests that reached the environment's decoys: " + decoyHits.get());
            decoy.stop(0);
        }));
        try (FakeSearxng searxng = new FakeSearxng()) {
            if (bedrock) {
                replayOnBedrock(model, searxng, port);
            } else {
                replayOnVertex(model, searxng, port);
            }
        }
    }

    private static void replayOnBedrock(UnaryOperator<JsonNode> model, FakeSearxng searxng, int port) throws Exception {
        String keyId = "AKIAREPLAYDEPLOYMENT";
        String secret = "replay-secret-of-the-deployment";
        try (FakeBedrock bedrock = new FakeBedrock(Map.of(keyId, secret), model, 0)) {
            String config = """
                    model_list:
                      - model_name: claude-on-cloud
                        litellm_params:
                          model: bedrock/us.anthropic.claude-sonnet-4-5-20250929-v1:0
                          aws_region_name: us-east-1
                          aws_access_key_id: %s
                          aws_secret_access_key: os.environ/REPLAY_SECRET
                          aws_bedrock_runtime_endpoint: %s
                    """.formatted(keyId, bedrock.base());
            serve(config + CONFIG_TAIL.formatted(searxng.base()), Map.of("REPLAY_SECRET", secret), port, () -> {
                System.out.println("calls verified by the fake Bedrock: " + bedrock.calls.size() + ", refused: "
                        + bedrock.refused.size());
                bedrock.calls.forEach(call -> System.out.println("  " + call.path() + " signed by " + call.signedBy()
                        + " (" + call.region() + "/" + call.service() + ")"));
            });
        }
    }

    private static void replayOnVertex(UnaryOperator<JsonNode> model, FakeSearxng searxng, int port) throws Exception {
        try (FakeVertex vertex = new FakeVertex(model)) {
            Path key = Files.createTempFile("replay-account", ".json");
            Files.writeString(key, vertex.tokens().accountKey());
            key.toFile().deleteOnExit();
            String config = """
                    model_list:
                      - model_name: claude-on-cloud
                        litellm_params:
                          model: vertex_ai/claude-sonnet-4-5@20250929
                          vertex_project: keyline-test
                          vertex_location: us-east5
                          vertex_credentials: %s
                          api_base: %s
                    """.formatted(key, vertex.base());
            serve(config + CONFIG_TAIL.formatted(searxng.base()), Map.of(), port, () -> {
                System.out.println("calls verified by the fake Vertex: " + vertex.calls.size() + ", refused: "
                        + vertex.refused.size() + ", tokens minted: "
                        + vertex.tokens().tokensMinted()
                        + ", token requests refused: "
                        + vertex.tokens().refused().size());
                vertex.calls.forEach(call -> System.out.println("  " + call.path() + " with a minted token"));
            });
        }
    }

    private static void serve(String config, Map<String, String> env, int port, Runnable report) throws Exception {
        try (KeylineServer keyline = KeylineServer.start(
                new ConfigLoader(env).parse(config, "cloud-replay.yaml"), "127.0.0.1", port, InstantSource.system())) {
            System.out.println("keyline " + keyline.baseUrl());
            Runtime.getRuntime().addShutdownHook(new Thread(report));
            new CountDownLatch(1).await();
        }
    }
}
