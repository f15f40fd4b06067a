package dev.keyline.conformance.kit;

import static org.quicktheories.QuickTheory.qt;

import java.util.Optional;

/**
 * Runs generated cases against a gateway and judges one property, with QuickTheories: a failure is shrunk to the
 * smallest case that shows it, and a run is reproduced from its seed.
 */
final class Kit {

    /** The verdict on one property; a failure carries the smallest case's hops as evidence. */
    record Verdict(String property, boolean passed, String counterexample, java.util.List<String> hops) {
        Verdict(String property, boolean passed, String counterexample) {
            this(property, passed, counterexample, java.util.List.of());
        }
    }

    private final GatewayClient client;
    private final KitPool pool;

    Kit(GatewayClient client, KitPool pool) {
        this.client = client;
        this.pool = pool;
    }

    Verdict judge(KitProperty property, long seed, int cases) {
        java.util.concurrent.atomic.AtomicReference<Observation> lastFailing = new java.util.concurrent.atomic.AtomicReference<>();
        try {
            qt().withFixedSeed(seed).withExamples(cases).withShrinkCycles(20).forAll(KitCase.all())
                    .checkAssert(kitCase -> {
                        Observation observation = client.observe(kitCase);
                        Optional<String> violation = property.violation(observation, pool);
                        if (violation.isPresent()) {
                            lastFailing.set(observation);
                            throw new AssertionError(violation.get());
                        }
                    });
            return new Verdict(property.id, true, "");
        } catch (AssertionError e) {
            // QuickTheories checks the smallest case last, so the last failing observation is the shrunk one.
            java.util.List<String> hops = lastFailing.get() == null ? java.util.List.of()
                    : lastFailing.get().hops().stream().map(Kit::describe).toList();
            return new Verdict(property.id, false, summary(e.getMessage()), hops);
        }
    }

    /** QuickTheories' report without the stack trace it appends. */
    /** One journaled hop, keys masked. */
    static String describe(Observation.Hop hop) {
        return hop.event().getRequest().getMethod() + " " + hop.deployment().origin() + hop.event().getRequest().getUrl()
                + " x-api-key=" + KitProperty.mask(hop.header("x-api-key"))
                + " anthropic-version=" + hop.header("anthropic-version")
                + " anthropic-beta=" + hop.header("anthropic-beta") + " x-tenant=" + hop.header("x-tenant")
                + " -> HTTP " + hop.event().getResponse().getStatus();
    }

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
