package dev.keyline.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The README's commands are the launcher's: every {@code ./keyline WORD} the README shows is a command the launcher's
 * help lists, and the quick ones, run as shown, are not refused as unknown ({@code keyline health} once was).
 */
class ReadmeCommandsTest {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Pattern COMMAND = Pattern.compile("\\./keyline ([a-z]+)");

    @Test
    void everyCommandTheReadmeShows_isOneTheLauncherKnows() throws Exception {
        Set<String> shown = new TreeSet<>();
        Matcher found = COMMAND.matcher(Files.readString(ROOT.resolve("README.md")));
        while (found.find()) {
            shown.add(found.group(1));
        }
        Run help = run(List.of("help"));
        Set<String> listed = new TreeSet<>();
        help.output()
                .lines()
                .filter(l -> l.matches("^  [a-z]+.*"))
                .forEach(l -> listed.add(l.strip().split("\\s+")[0]));

        assertTrue(shown.containsAll(Set.of("demo", "serve", "check", "test", "health")), shown.toString());
        assertTrue(listed.containsAll(shown), "README shows " + shown + ", the launcher lists " + listed);
    }

    @Test
    void theQuickCommands_runAsTheReadmeShowsThem() throws Exception {
        int free;
        try (ServerSocket socket = new ServerSocket(0)) {
            free = socket.getLocalPort();
        }
        // Nothing listens on the port: the probe says so and exits 1, as a health check must.
        Run health = run(List.of("health", "--port", Integer.toString(free)));
        assertEquals(1, health.exit(), health.output());

        // The example names its key as os.environ/VLLM_KEY, unset here: check says so, and exits 2.
        Run check = run(List.of("check", "--config", "examples/vllm-websearch.yaml"));
        assertEquals(2, check.exit(), check.output());
        assertTrue(check.output().contains("environment variable VLLM_KEY is not set"), check.output());

        for (Run each : List.of(health, check)) {
            assertFalse(each.output().contains("unknown command"), each.output());
            assertFalse(each.output().contains("unbound variable"), each.output());
        }
    }

    private record Run(int exit, String output) {}

    private static Run run(List<String> args) throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>();
        command.add(ROOT.resolve("keyline").toString());
        command.addAll(args);
        Process process = new ProcessBuilder(command)
                .directory(ROOT.toFile())
                .redirectErrorStream(true)
                .start();
        byte[] output = process.getInputStream().readAllBytes();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            throw new AssertionError("./keyline " + String.join(" ", args) + " did not end within 120 s");
        }
        return new Run(process.exitValue(), new String(output, StandardCharsets.UTF_8));
    }
}
