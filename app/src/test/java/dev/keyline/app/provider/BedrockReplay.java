package dev.keyline.app.provider;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keyline.app.KeylineServer;
import dev.keyline.app.config.ConfigLoader;
import dev.keyline.app.demo.SimulatedModel;
import java.time.InstantSource;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * Keyline in front of a Bedrock-shaped fake (SigV4 verified by the fake's own code, binary event streams) whose model
 * is the demo's simulated one, which also plays Claude Code's deferred WebSearch: for trying Claude Code and the
 * Anthropic TypeScript SDK against Bedrock by hand ({@code scripts/bedrock-replay.sh}). Not a test; it runs until
 * killed and prints, when it does, every call the fake verified.
 */
public final class BedrockReplay {

    private BedrockReplay() {}

    public static void main(String[] args) throws Exception {
        int keylinePort = Integer.parseInt(args[0]);
        String keyId = "AKIAREPLAYDEPLOYMENT";
        String secret = "replay-secret-of-the-deployment";
        ObjectMapper mapper = new ObjectMapper();
        SimulatedModel simulated = new SimulatedModel(mapper);
        try (FakeBedrock bedrock = new FakeBedrock(Map.of(keyId, secret), request -> answer(simulated, request), 0);
                FakeSearxng searxng = new FakeSearxng()) {
            String config = """
                    model_list:
                      - model_name: claude-on-bedrock
                        litellm_params:
                          model: bedrock/us.anthropic.claude-sonnet-4-5-20250929-v1:0
                          aws_region_name: us-east-1
                          aws_access_key_id: %s
                          aws_secret_access_key: os.environ/REPLAY_SECRET
                          aws_bedrock_runtime_endpoint: %s
                    search_tools:
                      - search_tool_name: searx
                        litellm_params: {search_provider: searxng, api_base: "%s"}
                    litellm_settings:
                      callbacks: [websearch_interception]
                      websearch_interception_params: {enabled_providers: [bedrock]}
                    general_settings:
                      master_key: sk-replay-gateway
                    """.formatted(keyId, bedrock.base(), searxng.base());
            try (KeylineServer keyline = KeylineServer.start(
                    new ConfigLoader(Map.of("REPLAY_SECRET", secret)).parse(config, "bedrock-replay.yaml"),
                    "127.0.0.1",
                    keylinePort,
                    InstantSource.system())) {
                System.out.println("keyline " + keyline.baseUrl() + " bedrock " + bedrock.base());
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    System.out.println("calls verified by the fake Bedrock: " + bedrock.calls.size() + ", refused: "
                            + bedrock.refused.size());
                    bedrock.calls.forEach(call -> System.out.println("  " + call.path() + " signed by "
                            + call.signedBy() + " (" + call.region() + "/" + call.service() + ")"));
                }));
                new CountDownLatch(1).await();
            }
        }
    }

    private static JsonNode answer(SimulatedModel simulated, JsonNode request) {
        return simulated.answer(request).body();
    }
}
