package dev.keyline.conformance.kit;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Collectors;

/** Writes a run as {@code conformance-report.json} and {@code conformance-report.md}. */
public final class ReportWriter {

    private ReportWriter() {}

    /** What the profile declared, and what it did not: a property that needs the latter is not applicable. */
    private static String capabilities(ConformanceRun.Report report) {
        String declared = report.capabilities().isEmpty()
                ? "none"
                : report.capabilities().stream().map(c -> "`" + c + "`").collect(Collectors.joining(", "));
        String lacking = Arrays.stream(Capability.values())
                .map(Capability::id)
                .filter(c -> !report.capabilities().contains(c))
                .map(c -> "`" + c + "`")
                .collect(Collectors.joining(", "));
        return "Capabilities its profile declares: " + declared + "."
                + (lacking.isEmpty() ? "" : " Not declared: " + lacking + ".") + "\n\n";
    }

    public static void write(ConformanceRun.Report report, Path dir) throws IOException {
        Files.createDirectories(dir);
        new ObjectMapper()
                .enable(SerializationFeature.INDENT_OUTPUT)
                .writeValue(dir.resolve("conformance-report.json").toFile(), report);
        StringBuilder md = new StringBuilder();
        md.append("# Conformance report: ")
                .append(report.gateway())
                .append(report.surface().equals(Surface.MESSAGES.id()) ? "" : " (chat completions door)")
                .append("\n\n")
                .append(
                        report.version().isEmpty()
                                ? "The gateway did not state its version.\n\n"
                                : "The gateway states its version as `" + report.version() + "`.\n\n")
                .append("Seed ")
                .append(report.seed())
                .append(", ")
                .append(report.cases())
                .append(" cases per property, ")
                .append(report.millis())
                .append(" ms. ")
                .append(report.passed() ? "Every property held." : "Some properties failed.")
                .append("\n\n")
                .append(capabilities(report))
                .append("| property | result | holds when | counterexample |\n|---|---|---|---|\n");
        for (ConformanceRun.Result result : report.results()) {
            md.append("| `")
                    .append(result.id())
                    .append("` | ")
                    .append(result.failed() ? "**failed**" : result.status())
                    .append(" | ")
                    .append(result.title())
                    .append(" | ")
                    .append(result.counterexample().replace("|", "\\|"))
                    .append(" |\n");
        }
        for (ConformanceRun.Result result : report.results()) {
            if (result.failed() && !result.hops().isEmpty()) {
                md.append("\n### `").append(result.id()).append("`: hops of the smallest failing case\n\n");
                result.hops().forEach(hop -> md.append("- `").append(hop).append("`\n"));
            }
        }
        md.append(
                        "\n<details><summary>Gateway configuration the kit wrote (keys are environment references)</summary>\n\n```yaml\n")
                .append(report.config())
                .append("```\n</details>\n");
        Files.writeString(dir.resolve("conformance-report.md"), md.toString());
    }
}
