package dev.keyline.conformance.kit;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes a run as {@code conformance-report.json} and {@code conformance-report.md}. */
public final class ReportWriter {

    private ReportWriter() {}

    public static void write(ConformanceRun.Report report, Path dir) throws IOException {
        Files.createDirectories(dir);
        new ObjectMapper()
                .enable(SerializationFeature.INDENT_OUTPUT)
                .writeValue(dir.resolve("conformance-report.json").toFile(), report);
        StringBuilder md = new StringBuilder();
        md.append("# Conformance report: ")
                .append(report.gateway())
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
