package dev.keyline.conformance.kit;

import static org.quicktheories.QuickTheory.qt;

import java.util.Optional;

/**
 * Runs generated cases against a gateway and judges one property, with QuickTheories: a failure is shrunk to the
 * smallest case that shows it, and a run is reproduced from its seed.
 */
final class Kit {

    /** The verdict on one property. */
    record Verdict(String property, boolean passed, String counterexample) {
    }

    private final GatewayClient client;
    private final KitPool pool;

    Kit(GatewayClient client, KitPool pool) {
        this.client = client;
        this.pool = pool;
    }

    Verdict judge(KitProperty property, long seed, int cases) {
        try {
            qt().withFixedSeed(seed).withExamples(cases).withShrinkCycles(20).forAll(KitCase.all())
                    .checkAssert(kitCase -> {
                        Observation observation = client.observe(kitCase);
                        Optional<String> violation = property.violation(observation, pool);
                        if (violation.isPresent()) {
                            throw new AssertionError(violation.get());
                        }
                    });
            return new Verdict(property.id, true, "");
        } catch (AssertionError e) {
            return new Verdict(property.id, false, summary(e.getMessage()));
        }
    }

    /** QuickTheories' report without the stack trace it appends. */
    static String summary(String report) {
        StringBuilder kept = new StringBuilder();
        for (String line : report.split("\n")) {
            if (line.strip().startsWith("at ")) {
                break;
            }
            kept.append(line.strip()).append(' ');
        }
        return kept.toString().strip();
    }
}
