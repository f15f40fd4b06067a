package dev.keyline.domain.keys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Budget periods count from the owner's creation, so every replica agrees on them without a reset job. */
class BudgetTest {

    private static final Instant CREATED = Instant.parse("2026-12-01T09:30:00Z");

    @Test
    void everyMomentFallsInOnePeriodThatStartsAtOrBeforeItAndResetsAfterIt() {
        qt().forAll(integers().between(1, 90 * 24 * 3600), longs().between(0, 400L * 24 * 3600))
                .checkAssert((seconds, offset) -> {
                    Budget budget = new Budget(Optional.of(Usd.of("1")), Optional.of(Duration.ofSeconds(seconds)));
                    Instant now = CREATED.plusSeconds(offset);
                    Budget.Window window = budget.window(CREATED, now);
                    Instant start = CREATED.plusSeconds(window.index() * seconds);
                    Instant resets = window.resetsAt().orElseThrow();
                    assertFalse(start.isAfter(now), "the period has started");
                    assertTrue(resets.isAfter(now), "and has not ended");
                    assertEquals(Duration.ofSeconds(seconds), Duration.between(start, resets));
                });
    }

    @Test
    void aBudgetWithoutAPeriodHasOneWindowThatNeverResets() {
        Budget.Window window = new Budget(Optional.of(Usd.of("5")), Optional.empty())
                .window(CREATED, CREATED.plus(Duration.ofDays(900)));
        assertEquals(new Budget.Window(0, Optional.empty()), window);
    }

    @Test
    void durationsReadLiteLlmsShapesAndNothingElse() {
        assertEquals(Duration.ofDays(30), Durations.parse("30d"));
        assertEquals(Duration.ofHours(1), Durations.parse("1h"));
        assertEquals(Duration.ofMinutes(15), Durations.parse("15m"));
        assertEquals(Duration.ofDays(14), Durations.parse("2w"));
        assertEquals(Duration.ofDays(30), Durations.parse("1mo"));
        for (String bad : new String[] {"", "30", "d", "-1d", "0d", "1 day", "1y", "3.5h"}) {
            assertThrows(IllegalArgumentException.class, () -> Durations.parse(bad), bad);
        }
        qt().forAll(integers().between(1, 100_000)).checkAssert(n -> {
            Duration d = Duration.ofSeconds(n);
            assertEquals(d, Durations.parse(Durations.format(d)), "format reads back");
        });
    }

    @Test
    void amountsAreExactToTheBillionthAndNeverNegative() {
        assertEquals(Usd.of("0.00291"), Usd.of("3e-6").times(970));
        assertEquals("$0.00322", Usd.of("0.00291").plus(Usd.of("0.00031")).toString());
        assertEquals("$10.00", Usd.of("10").toString());
        assertThrows(IllegalArgumentException.class, () -> Usd.of("-0.01"));
        assertThrows(IllegalArgumentException.class, () -> Usd.of("ten"));
    }
}
