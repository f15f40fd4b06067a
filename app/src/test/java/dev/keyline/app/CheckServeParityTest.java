package dev.keyline.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code check} is {@code serve} without the listener: over a table of broken files, both refuse (exit 2), and what
 * {@code serve} says is the first of the problems {@code check} lists, all of them at once.
 */
class CheckServeParityTest {

    /** A file that serves: interception on, the offline engine over a corpus file ({@code CORPUS}). */
    private static final String GOOD = """
            model_list:
              - model_name: m
                litellm_params:
                  model: anthropic/kimi-k2.5
                  api_base: "http://127.0.0.1:9/a"
                  api_key: sk-literal-1
            litellm_settings:
              callbacks: [websearch_interception]
              websearch_interception_params: {enabled_providers: [anthropic]}
            search_tools:
              - search_tool_name: local
                litellm_params: {search_provider: offline, corpus: "CORPUS"}
            """;

    @TempDir
    static Path dir;

    static Stream<Arguments> brokenFiles() {
        return Stream.of(
                broken(
                        "a corpus file that is not there",
                        yaml -> yaml.replace("CORPUS", "CORPUS.missing"),
                        List.of("search_tools 'local': corpus CORPUS.missing does not exist")),
                broken(
                        "a corpus that is not JSON Lines",
                        yaml -> yaml.replace("CORPUS", "CORPUS.bad"),
                        List.of("search_tools 'local': corpus CORPUS.bad is not JSON Lines: line 2 is not a JSON"
                                + " object (Unrecognized token 'not')")),
                broken(
                        "two unset variables in one deployment",
                        yaml -> yaml.replace("\"http://127.0.0.1:9/a\"", "os.environ/KEYLINE_TEST_UNSET_BASE")
                                .replace("sk-literal-1", "os.environ/KEYLINE_TEST_UNSET_KEY"),
                        List.of(
                                "model_list[0].litellm_params.api_base: environment variable"
                                        + " KEYLINE_TEST_UNSET_BASE is not set",
                                "model_list[0].litellm_params.api_key: environment variable"
                                        + " KEYLINE_TEST_UNSET_KEY is not set")),
                broken(
                        "a search engine address that is not a URL",
                        yaml -> yaml.replace(
                                "{search_provider: offline, corpus: \"CORPUS\"}",
                                "{search_provider: searxng, api_base: \"searx.local:8888\"}"),
                        List.of("search_tools 'local': api_base must be an http or https URL with a host, got"
                                + " 'searx.local:8888'")),
                broken(
                        "an unknown search provider",
                        yaml -> yaml.replace("search_provider: offline", "search_provider: altavista"),
                        List.of("search_tools[0].litellm_params.search_provider: expected one of brave, exa, exa_ai,"
                                + " offline, perplexity, searxng, tavily, got 'altavista'")),
                broken(
                        "an unclosed flow mapping",
                        yaml -> yaml.replace("{enabled_providers: [anthropic]}", "{enabled_providers: [anthropic]"),
                        List.of("CONFIG is not valid YAML at line 10, column 1: expected ',' or '}' (reading a flow"
                                + " mapping that began at line 9, column 34)")),
                broken(
                        "a line indented with a tab",
                        yaml -> yaml.replace("\n    litellm_params:\n      model:", "\n    litellm_params:\n\tmodel:"),
                        List.of("CONFIG is not valid YAML at line 4, column 1: found character '\\t(TAB)' that"
                                + " cannot start any token. (Do not use \\t(TAB) for indentation); line 4 is indented"
                                + " with a tab, and YAML indents with spaces only")),
                broken(
                        "a misspelled api_base and a missing corpus together",
                        yaml -> yaml.replace("api_base:", "api_bsae:").replace("CORPUS", "CORPUS.missing"),
                        List.of(
                                "model_list[0].litellm_params.api_bsae: unknown setting; did you mean api_base?",
                                "model_list[0].litellm_params: no api_base, so 'kimi-k2.5' would be sent to"
                                        + " https://api.anthropic.com with this deployment's key, and it is not an"
                                        + " Anthropic model. Set api_base to the endpoint that serves it (or to"
                                        + " https://api.anthropic.com to mean Anthropic's API)")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("brokenFiles")
    void checkAndServe_refuseTheSameFiles_forTheSameReasons(
            String name, Function<String, String> breakIt, List<String> expected) throws Exception {
        Path corpus = dir.resolve("corpus.jsonl");
        Files.writeString(corpus, "{\"url\":\"https://example.org/a\",\"text\":\"alpha\"}\n");
        Files.writeString(
                dir.resolve("corpus.jsonl.bad"), "{\"url\":\"https://example.org/a\",\"text\":\"alpha\"}\nnot json\n");
        Path config = dir.resolve("config.yaml");
        Files.writeString(config, breakIt.apply(GOOD).replace("CORPUS", corpus.toString()));
        List<String> problems = expected.stream()
                .map(p -> p.replace("CORPUS", corpus.toString()).replace("CONFIG", config.toString()))
                .toList();

        Result check = run("check", "--config", config.toString());
        Result serve = run("serve", "--config", config.toString(), "--port", "0");

        assertEquals(2, check.exit(), check.out());
        assertEquals(
                problems.stream().map(p -> "problem: " + p).toList(),
                check.out().lines().filter(l -> l.startsWith("problem: ")).toList(),
                name);
        assertEquals(2, serve.exit(), serve.err());
        String said = serve.err().strip();
        assertTrue(said.startsWith("keyline: " + problems.getFirst()), said);
        if (problems.size() > 1) {
            assertTrue(
                    said.endsWith("(and " + (problems.size() - 1) + " more: keyline check --config FILE lists"
                            + " them all)"),
                    said);
        }
    }

    @Test
    void theFileBeforeItWasBroken_passesCheck() throws Exception {
        Path corpus = dir.resolve("corpus.jsonl");
        Files.writeString(corpus, "{\"url\":\"https://example.org/a\",\"text\":\"alpha\"}\n");
        Path config = dir.resolve("good.yaml");
        Files.writeString(config, GOOD.replace("CORPUS", corpus.toString()));

        Result check = run("check", "--config", config.toString());

        assertEquals(0, check.exit(), check.out());
    }

    private static Arguments broken(String name, Function<String, String> breakIt, List<String> problems) {
        return Arguments.of(name, breakIt, problems);
    }

    private record Result(int exit, String out, String err) {}

    private static Result run(String... args) throws InterruptedException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = Main.run(
                List.of(args),
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
