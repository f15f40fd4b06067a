package dev.keyline.conformance.kit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Proof that the kit can fail: every {@link KeylineMutants mutant} (Keyline with one defect real gateways have had)
 * is caught by the property it breaks, and every property has a mutant. The same run as
 * {@code keyline conformance --self-test}.
 */
class MutantConformanceTest {

    @Test
    void everyPropertyHasAMutant_andCatchesIt() {
        List<SelfTest.Outcome> outcomes = SelfTest.run(KeylineConformanceTest.SEED, KeylineConformanceTest.CASES);

        Set<String> properties = Stream.of(
                        Arrays.stream(KitProperty.values()).map(p -> p.id),
                        Arrays.stream(ErrorKit.ErrorProperty.values()).map(p -> p.id),
                        Stream.of(LoopFaultKit.ID, CountTokensKit.ID, StreamRescueKit.ID))
                .flatMap(ids -> ids)
                .collect(Collectors.toSet());
        assertEquals(
                properties, outcomes.stream().map(SelfTest.Outcome::property).collect(Collectors.toSet()));
        for (SelfTest.Outcome outcome : outcomes) {
            appendFigure(outcome.property() + (outcome.caught() ? " caught: " : " MISSED: ") + outcome.defect() + ": "
                    + outcome.counterexample().replaceAll("\\s+", " "));
        }
        for (SelfTest.Outcome outcome : outcomes) {
            assertTrue(outcome.caught(), outcome.property() + " passed on a mutant that " + outcome.defect());
            assertTrue(outcome.counterexample().contains("group="), outcome.counterexample());
        }
    }

    private static void appendFigure(String line) {
        try {
            Files.writeString(
                    Path.of("target", "kit-mutants.txt"),
                    line + "\n",
                    StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
