package dev.keyline.conformance.kit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * A correct gateway that translates otherwise than Keyline still passes every property: Keyline, with each call it
 * makes rewritten on the way to the fakes as another gateway would have written it (Anthropic's {@code metadata} and
 * chat's {@code user} dropped, tool-call ids renamed from {@code toolu_…} to {@code call_…}, JSON spaced out over
 * lines). The kit's verdicts must rest on behaviour, not on Keyline's wire habits.
 */
class OtherTranslationConformanceTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** The properties a translation can touch; the error and fault kits send no script a rewrite could lose. */
    @Test
    void keylineTranslatingOtherwise_holdsEveryPropertyOfTheLoop() throws Exception {
        Path out = Path.of("target", "conformance-other-translation").toAbsolutePath();
        Files.createDirectories(out);
        String java = ProcessHandle.current().info().command().orElse("java");
        Path jar =
                Path.of("..", "app", "target", "keyline.jar").toAbsolutePath().normalize();
        GatewayProfile keyline = GatewayProfile.named("keyline");
        try (FakeUpstreams fakes =
                new FakeUpstreams(KeylineConformanceTest.SEED, keyline, OtherTranslationConformanceTest::otherwise)) {
            Path config = out.resolve("gateway-config.yaml");
            Files.writeString(config, keyline.config(fakes, 0));
            CommandLauncher launcher = new CommandLauncher(
                    java + " -jar " + jar + " serve --config {config} --port {port} --host 127.0.0.1",
                    out.resolve("gateway.log"));
            try (GatewayLauncher.RunningGateway gateway = launcher.launch(config, fakes.environment())) {
                PropertyJudge judge = new PropertyJudge(new GatewayClient(gateway.baseUrl(), fakes, keyline), fakes);
                for (KitProperty property : KitProperty.values()) {
                    PropertyJudge.Verdict verdict = judge.judge(property, KeylineConformanceTest.SEED, 8);
                    assertEquals(true, verdict.passed(), property.id + ": " + verdict.counterexample());
                }
            }
        }
    }

    @Test
    void theRewrite_doesWhatItSays() {
        String rewritten = otherwise("{\"metadata\":{\"user_id\":\"u\"},\"user\":\"u\",\"messages\":[{\"role\":"
                + "\"assistant\",\"content\":[{\"type\":\"tool_use\",\"id\":\"toolu_1\"}]}]}");

        assertEquals(
                false,
                rewritten.contains("metadata") || rewritten.contains("\"user\"") || rewritten.contains("toolu_"));
        assertEquals(true, rewritten.contains("\"call_1\"") && rewritten.contains("\n"));
    }

    /** How another, equally correct, gateway might have written the same call. */
    static String otherwise(String body) {
        if (body.isBlank()) {
            return body;
        }
        try {
            JsonNode tree = MAPPER.readTree(body.replace("\"toolu_", "\"call_"));
            if (tree instanceof ObjectNode object) {
                object.remove("metadata");
                object.remove("user");
            }
            return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(tree);
        } catch (IOException e) {
            return body;
        }
    }
}
