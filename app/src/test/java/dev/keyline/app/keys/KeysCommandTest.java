package dev.keyline.app.keys;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.keyline.app.KeylineServer;
import dev.keyline.app.cli.KeysCommand;
import dev.keyline.app.config.ConfigLoader;
import dev.keyline.app.operations.LoopUpstream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code ./keyline keys create|list|revoke} against a running gateway, as an operator without curl uses it. */
class KeysCommandTest {

    private static final String MASTER = "sk-master-cli-test";
    private static final String PLAIN = """
            {"model":"g","max_tokens":64,"messages":[{"role":"user","content":"hi"}]}""";

    @RegisterExtension
    static WireMockExtension upstream = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"))
            .build();

    @TempDir
    Path dir;

    private KeylineServer keyline;

    @AfterEach
    void stop() {
        if (keyline != null) {
            keyline.close();
        }
    }

    private record Run(int code, String out, String err) {}

    private Run keys(Map<String, String> env, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = new KeysCommand(
                        new PrintStream(out, true, StandardCharsets.UTF_8),
                        new PrintStream(err, true, StandardCharsets.UTF_8),
                        env)
                .run(List.of(args));
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void anOperatorCreatesListsAndRevokesAKey() throws Exception {
        LoopUpstream.stub(upstream);
        Path config = dir.resolve("keyline.yaml");
        Files.writeString(config, LoopUpstream.CONFIG.formatted(upstream.baseUrl()) + """
                general_settings:
                  master_key: os.environ/MASTER
                """);
        keyline = KeylineServer.start(
                new ConfigLoader(Map.of("KEY", "sk-deployment-cli", "MASTER", MASTER)).load(config),
                "127.0.0.1",
                0,
                InstantSource.system());
        Map<String, String> env = Map.of("KEYLINE_MASTER_KEY", MASTER);
        String url = keyline.baseUrl();

        Run created = keys(
                env,
                "create",
                "--url",
                url,
                "--alias",
                "laptop-ana",
                "--models",
                "g",
                "--budget",
                "2.5",
                "--budget-duration",
                "30d");
        assertEquals(0, created.code(), created.err());
        String key = created.out().strip();
        assertTrue(key.startsWith("sk-kl-"), created.out());
        assertTrue(created.err().contains("created 'laptop-ana'"), created.err());
        KeyedGateway gateway = new KeyedGateway(url, MASTER);
        assertEquals(200, gateway.messages(key, PLAIN).statusCode());

        Run listed = keys(env, "list", "--url", url);
        assertEquals(0, listed.code(), listed.err());
        assertTrue(
                listed.out()
                        .lines()
                        .anyMatch(l -> l.startsWith("laptop-ana") && l.contains("/ $2.50") && l.contains("active")),
                listed.out());
        assertTrue(!listed.out().contains(key), "the key is never listed");

        Run revoked = keys(env, "revoke", "--url", url, "laptop-ana");
        assertEquals(0, revoked.code(), revoked.err());
        assertEquals(401, gateway.messages(key, PLAIN).statusCode(), "revoked at once on this replica");
        assertTrue(keys(env, "list", "--url", url).out().contains("revoked"));

        Run noKey = keys(Map.of(), "list", "--url", url);
        assertEquals(2, noKey.code());
        assertTrue(noKey.err().contains("set KEYLINE_MASTER_KEY"), noKey.err());
        Run badBudget = keys(env, "create", "--url", url, "--budget", "lots");
        assertEquals(2, badBudget.code());
        Run refused = keys(env, "create", "--url", url, "--models", "gpt-9");
        assertEquals(1, refused.code());
        assertTrue(refused.err().contains("400: 'models' names 'gpt-9'"), refused.err());
    }
}
