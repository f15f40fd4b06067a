package dev.keyline.conformance.faults;

import dev.keyline.conformance.faults.FaultScenario.Tempo;
import dev.keyline.conformance.kit.CommandLauncher;
import dev.keyline.conformance.kit.OptionValues;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code ./keyline faults [--quick] [--surface messages|chat] [--no-stream-resume] [--out DIR]}: the crash test
 * against the built Keyline jar, through the Messages door or the chat completions one, printed as a scorecard and
 * written to {@code DIR/faults-scorecard.md}. Exit 0 when every scenario passes, 1
 * otherwise. {@code --no-stream-resume} runs the gateway with stream rescue off, for the scorecard before it.
 */
public final class FaultsMain {

    private FaultsMain() {}

    public static void main(String[] args) throws Exception {
        Tempo tempo = Tempo.full();
        boolean streamResume = true;
        Door door = Door.MESSAGES;
        Path out = Path.of("target", "faults");
        List<String> given = List.of(args);
        try {
            for (int i = 0; i < given.size(); i++) {
                switch (given.get(i)) {
                    case "--help", "-h" -> {
                        System.out.println(
                                "usage: keyline faults [--quick] [--surface messages|chat] [--no-stream-resume] [--out DIR]");
                        return;
                    }
                    case "--quick" -> tempo = Tempo.quick();
                    case "--no-stream-resume" -> streamResume = false;
                    case "--surface" -> door = Door.of(OptionValues.value(given, i++));
                    case "--out" -> out = Path.of(OptionValues.value(given, i++));
                    default -> throw new OptionValues.Refused("unknown option " + given.get(i));
                }
            }
        } catch (OptionValues.Refused | IllegalArgumentException e) {
            System.err.println("keyline faults: " + e.getMessage()
                    + "; usage: keyline faults [--quick] [--surface messages|chat] [--no-stream-resume] [--out DIR]");
            System.exit(2);
        }
        Path root = Path.of(System.getProperty("keyline.root", "."));
        String java = ProcessHandle.current().info().command().orElse("java");
        Path jar = root.resolve("app/target/keyline.jar").toAbsolutePath();
        out = out.toAbsolutePath();
        CommandLauncher launcher = new CommandLauncher(
                java + " -jar " + jar + " serve --config {config} --port {port} --host 127.0.0.1",
                out.resolve("gateway.log"));
        FaultSuite.Scorecard scorecard = FaultSuite.run(launcher, out, tempo, streamResume, door);
        String markdown = scorecard.markdown();
        Files.writeString(out.resolve("faults-scorecard.md"), markdown);
        System.out.println(markdown);
        System.out.println("written to " + out.resolve("faults-scorecard.md"));
        boolean allPass =
                !scorecard.keyLeaked() && scorecard.results().stream().allMatch(r -> r.grade() == Verdict.Grade.PASS);
        System.exit(allPass ? 0 : 1);
    }
}
