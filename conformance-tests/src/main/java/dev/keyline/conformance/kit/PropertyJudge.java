package dev.keyline.conformance.kit;

import static org.quicktheories.QuickTheory.qt;

import java.time.InstantSource;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs generated cases against a gateway and judges one property, with QuickTheories: a failure is shrunk to the
 * smallest case that shows it, and a run is reproduced from its seed.
 */
final class PropertyJudge {

    /** The verdict on one property; a failure carries the smallest case's hops as evidence. */
    record Verdict(String property, boolean passed, String counterexample, List<String> hops) {
        Verdict(String property, boolean passed, String counterexample) {
            this(property, passed, counterexample, List.of());
        }
    }

    private final CaseObserver client;
    private final FakeUpstreams fakes;
    private final GroupRests rests;

    PropertyJudge(CaseObserver client, FakeUpstreams fakes) {
        this.client = client;
        this.fakes = fakes;
        this.rests = new GroupRests(fakes, client.profile().cooldown(), InstantSource.system());
    }

    Verdict judge(KitProperty property, long seed, int cases) {
        AtomicReference<Observation> lastFailing = new AtomicReference<>();
        AtomicReference<String> firstFailure = new AtomicReference<>();
        try {
            qt().withFixedSeed(seed)
                    .withExamples(cases)
                    .withShrinkCycles(20)
                    .forAll(KitCase.all(fakes.groupNames(), client.profile().can(Capability.RETRIES))
                            .map(client::shape))
                    .checkAssert(kitCase -> {
                        rests.settle(kitCase.group());
                        Observation observation = client.observe(kitCase);
                        rests.note(observation);
                        Optional<String> violation = property.violation(observation, fakes);
                        if (violation.isPresent()) {
                            lastFailing.set(observation);
                            firstFailure.compareAndSet(null, kitCase + ": " + violation.get());
                            throw new AssertionError(violation.get());
                        }
                    });
            return new Verdict(property.id, true, "");
        } catch (AssertionError e) {
            // QuickTheories checks the smallest case last, so the last failing observation is the shrunk one.
            List<String> hops = lastFailing.get() == null
                    ? List.of()
                    : lastFailing.get().hops().stream()
                            .map(PropertyJudge::describe)
                            .toList();
            // Shrinking sends cases again; should the smallest fail otherwise than the case that first broke the
            // property, the report names that case too.
            String smallest = summary(e.getMessage());
            String first = firstFailure.get();
            boolean same = first == null || smallest.contains(first.substring(first.indexOf(": ") + 2));
            return new Verdict(
                    property.id, false, same ? smallest : smallest + " (first broken by {" + first + "})", hops);
        }
    }

    /** One journaled hop, keys masked. */
    static String describe(Observation.Hop hop) {
        return hop.event().getRequest().getMethod() + " " + hop.deployment().origin()
                + hop.event().getRequest().getUrl()
                + (hop.deployment().bearer ? " bearer=" : " x-api-key=") + KitProperty.mask(hop.presentedKey())
                + " anthropic-version=" + hop.header("anthropic-version")
                + " anthropic-beta=" + hop.header("anthropic-beta") + " x-tenant=" + hop.header("x-tenant")
                + " -> HTTP " + hop.event().getResponse().getStatus();
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
