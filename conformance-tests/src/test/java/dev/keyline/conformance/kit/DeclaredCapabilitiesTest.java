package dev.keyline.conformance.kit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * A correct gateway that serves Anthropic-compatible upstreams only, described by a profile file that denies what
 * it cannot do, is told "not applicable" for those properties, never "failed"; the same gateway with a planted key
 * leak is still failed.
 */
class DeclaredCapabilitiesTest {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final String PROFILE = "src/test/resources/profiles/naive-anthropic-only.yaml";

    @Test
    void whatTheGatewayCannotDo_isNotApplicable_andNamesTheCapability() throws Exception {
        assumeTrue(OtherGatewayConformanceTest.pythonWithYaml(), "python3 with PyYAML runs the naive gateway");
        ConformanceRun.Report report = run("anthropic-only", Map.of());

        Map<String, ConformanceRun.Result> results =
                report.results().stream().collect(Collectors.toMap(ConformanceRun.Result::id, r -> r));
        for (String needsWhatItLacks : Set.of(
                "loop-hop-binding",
                "loop-bounded",
                "history-replay",
                "loop-fault-ending",
                "fallback-credentials",
                "count-tokens-credentials")) {
            assertEquals("not-applicable", results.get(needsWhatItLacks).status(), needsWhatItLacks);
            assertTrue(results.get(needsWhatItLacks).counterexample().startsWith("needs "), needsWhatItLacks);
        }
        assertEquals(
                "passed",
                results.get("hop-credentials").status(),
                results.get("hop-credentials").counterexample());
        assertEquals("passed", results.get("no-env-fallback").status());
        assertEquals(
                "passed",
                results.get("native-shape").status(),
                "no search tool is offered to a gateway without a loop");
        assertTrue(report.capabilities().contains("anthropic-upstreams"));
        assertTrue(
                !report.config().contains("hosted_vllm"),
                "no chat deployment in the pool of an Anthropic-only gateway");
    }

    @Test
    void theSameGatewayLeakingAKey_isStillFailed() throws Exception {
        assumeTrue(OtherGatewayConformanceTest.pythonWithYaml(), "python3 with PyYAML runs the naive gateway");
        ConformanceRun.Report report = run("anthropic-only-leaking", Map.of("NAIVE_GATEWAY_LEAK", "1"));

        ConformanceRun.Result hops = report.results().stream()
                .filter(r -> r.id().equals("hop-credentials"))
                .findFirst()
                .orElseThrow();
        assertEquals("failed", hops.status());
        assertTrue(hops.counterexample().contains("carried another key"), hops.counterexample());
    }

    private static ConformanceRun.Report run(String name, Map<String, String> environment) throws Exception {
        GatewayProfile profile = GatewayProfile.named(PROFILE);
        Path out = Path.of("target", "conformance-" + name).toAbsolutePath();
        CommandLauncher launcher = new CommandLauncher(
                profile.command(ROOT, "java", GatewayProfile.home(out)), out.resolve("gateway.log"), environment);
        ConformanceRun.Report report = ConformanceRun.run(name, profile, launcher, out, 7L, 4);
        ReportWriter.write(report, out);
        return report;
    }
}
