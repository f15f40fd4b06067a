package dev.keyline.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line as scripts and operators use it: what is printed, and the exit code. */
class MainTest {

    private static final String GOOD = """
            model_list:
              - model_name: m
                litellm_params: {model: anthropic/kimi-k2.5, api_base: "http://127.0.0.1:9/a", api_key: sk-literal-1}
            litellm_settings: {callbacks: [websearch_intercept]}
            """;

    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @Test
    void check_listsEveryProblemWithItsKeyPath_andExits2() throws Exception {
        Path config = write(
                GOOD.replace("api_base:", "api_bsae:").replace("model_list:", "model_list:\n  - {model_name: x}"));

        int exit = run("check", "--config", config.toString());

        assertEquals(2, exit);
        assertEquals(
                List.of(
                        "problem: model_list[0].litellm_params: required",
                        "problem: model_list[1].litellm_params.api_bsae: unknown setting; did you mean api_base?",
                        "problem: model_list[1].litellm_params: no api_base, so 'kimi-k2.5' would be sent to"
                                + " https://api.anthropic.com with this deployment's key, and it is not an Anthropic"
                                + " model. Set api_base to the endpoint that serves it (or to https://api.anthropic.com"
                                + " to mean Anthropic's API)",
                        config + ": 3 problems; Keyline would not start"),
                lines(out));
    }

    @Test
    void check_passesAUsableFile_withItsWarnings_andExits0() throws Exception {
        Path config = write(GOOD);

        int exit = run("check", "--config", config.toString());

        assertEquals(0, exit, err.toString(StandardCharsets.UTF_8));
        List<String> lines = lines(out);
        assertTrue(
                lines.getFirst()
                        .startsWith("warning: litellm_settings.callbacks: 'websearch_intercept' is not a callback"
                                + " Keyline runs; ignored; did you mean websearch_interception?"),
                lines.toString());
        assertEquals(config + ": OK, 1 deployment in 1 model group, 1 warning", lines.getLast());
    }

    @Test
    void serve_onABusyPort_exitsWithOneLine_insteadOfHanging() throws Exception {
        Path config = write(GOOD);
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            int exit = run("serve", "--config", config.toString(), "--port", Integer.toString(taken.getLocalPort()));

            assertEquals(1, exit);
            assertEquals(
                    "keyline: port " + taken.getLocalPort() + " on 127.0.0.1 is in use; stop the other process or"
                            + " pass --port",
                    err.toString(StandardCharsets.UTF_8).strip());
        }
    }

    @Test
    void serve_withAConfigItMustRefuse_exits2_withoutListening() throws Exception {
        Path config = write(GOOD.replace("api_base:", "api_bsae:"));

        int exit = run("serve", "--config", config.toString(), "--port", "0");

        assertEquals(2, exit);
        assertTrue(err.toString(StandardCharsets.UTF_8).startsWith("keyline: model_list[0].litellm_params.api_bsae:"));
    }

    private int run(String... args) throws InterruptedException {
        return Main.run(
                List.of(args),
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private Path write(String yaml) throws Exception {
        Path file = dir.resolve("config.yaml");
        Files.writeString(file, yaml);
        return file;
    }

    private static List<String> lines(ByteArrayOutputStream stream) {
        return stream.toString(StandardCharsets.UTF_8).lines().toList();
    }
}
