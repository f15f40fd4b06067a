package dev.keyline.conformance.kit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The kit's command-template launcher with a gateway that is not Keyline: a naive Python forwarder (no web-search
 * interception). The kit must run it, and report what it does right and what it does not.
 */
class OtherGatewayConformanceTest {

    @Test
    void aNaiveForwarder_isJudged_andItsMissingSearchLoopIsReported() throws Exception {
        assumeTrue(pythonWithYaml(), "python3 with PyYAML is needed to run the naive gateway");
        Path script = Path.of("src", "test", "resources", "gateways", "naive_gateway.py")
                .toAbsolutePath();
        Path out = Path.of("target", "conformance-naive").toAbsolutePath();
        CommandLauncher launcher =
                new CommandLauncher("python3 " + script + " {config} {port}", out.resolve("gateway.log"));

        // LiteLLM's own configuration keys, without Keyline's extensions (auth_scheme), as a third-party gateway reads.
        ConformanceRun.Report report =
                ConformanceRun.run("naive_gateway.py", GatewayProfile.named("litellm"), launcher, out, 7L, 6);
        ReportWriter.write(report, out);

        Map<String, String> status = report.results().stream()
                .collect(Collectors.toMap(ConformanceRun.Result::id, ConformanceRun.Result::status));
        // It forwards with the deployment's own key; it does join a base written with a trailing slash and the path
        // into "//v1/messages", which the kit's pool (seed 7) draws and reports.
        ConformanceRun.Result hops = report.results().stream()
                .filter(r -> r.id().equals("hop-credentials"))
                .findFirst()
                .orElseThrow();
        assertFalse(hops.counterexample().contains("carried another key"), hops.counterexample());
        assertTrue(
                hops.status().equals("passed") || hops.counterexample().contains("//v1/messages"),
                hops.counterexample());
        assertEquals("passed", status.get("no-env-fallback"));
        assertEquals("failed", status.get("native-shape"), "without interception the upstream refuses web search");
        assertEquals(
                "failed", status.get("error-shape"), "it forwards a request without max_tokens instead of refusing it");
        assertTrue(Files.readString(out.resolve("conformance-report.md")).contains("| `native-shape` | **failed** |"));
        assertTrue(report.results().stream().anyMatch(r -> r.counterexample().contains("group=")));
    }

    static boolean pythonWithYaml() {
        try {
            Process probe = new ProcessBuilder("python3", "-c", "import yaml")
                    .redirectErrorStream(true)
                    .start();
            return probe.waitFor() == 0;
        } catch (Exception e) {
            return false;
        }
    }
}
