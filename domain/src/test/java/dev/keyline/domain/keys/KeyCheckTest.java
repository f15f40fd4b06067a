package dev.keyline.domain.keys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** What a key may do, decided from its grant, its team's, and what they spent, before any upstream call. */
class KeyCheckTest {

    private static final Instant NOW = Instant.parse("2026-12-05T12:00:00Z");

    private static VirtualKey key(Grant grant, Optional<Instant> expires, boolean blocked) {
        return new VirtualKey(
                KeyHash.of("sk-kl-check"),
                "sk-kl-chec…",
                Optional.of("dev"),
                grant,
                Optional.of("t"),
                Optional.empty(),
                "{}",
                NOW.minus(Duration.ofDays(3)),
                expires,
                blocked);
    }

    private static Grant budget(String max) {
        return new Grant(Set.of(), new Budget(Optional.of(Usd.of(max)), Optional.of(Duration.ofDays(7))), Limits.NONE);
    }

    private static Team team(Grant grant, boolean blocked) {
        return new Team("t", Optional.of("Platform"), grant, "{}", NOW.minus(Duration.ofDays(1)), blocked);
    }

    @Test
    void aKeyWithinEverythingMayGo() {
        assertEquals(
                Optional.empty(),
                KeyCheck.check(
                        key(budget("1"), Optional.of(NOW.plusSeconds(1)), false),
                        Optional.of(team(budget("10"), false)),
                        "g",
                        NOW,
                        Usd.of("0.99"),
                        Usd.of("9.99")));
    }

    @Test
    void eachRefusalSaysWhoseLimitItIs() {
        assertInstanceOf(
                KeyRefusal.Blocked.class,
                KeyCheck.check(key(Grant.OPEN, Optional.empty(), true), Optional.empty(), "g", NOW, Usd.ZERO, Usd.ZERO)
                        .orElseThrow());
        KeyRefusal expired = KeyCheck.check(
                        key(Grant.OPEN, Optional.of(NOW), false), Optional.empty(), "g", NOW, Usd.ZERO, Usd.ZERO)
                .orElseThrow();
        assertEquals("key 'dev' expired at 2026-12-05T12:00:00Z", expired.message());
        KeyRefusal teamBlocked = KeyCheck.check(
                        key(Grant.OPEN, Optional.empty(), false),
                        Optional.of(team(Grant.OPEN, true)),
                        "g",
                        NOW,
                        Usd.ZERO,
                        Usd.ZERO)
                .orElseThrow();
        assertEquals("team 'Platform' is blocked", teamBlocked.message());
        KeyRefusal model = KeyCheck.check(
                        key(new Grant(Set.of("a", "b"), Budget.NONE, Limits.NONE), Optional.empty(), false),
                        Optional.empty(),
                        "c",
                        NOW,
                        Usd.ZERO,
                        Usd.ZERO)
                .orElseThrow();
        assertEquals("key 'dev' may not use model 'c'; it may use: a, b", model.message());
        KeyRefusal teamModel = KeyCheck.check(
                        key(Grant.OPEN, Optional.empty(), false),
                        Optional.of(team(new Grant(Set.of("a"), Budget.NONE, Limits.NONE), false)),
                        "c",
                        NOW,
                        Usd.ZERO,
                        Usd.ZERO)
                .orElseThrow();
        assertTrue(teamModel.message().startsWith("team 'Platform' may not use model 'c'"), teamModel.message());
    }

    @Test
    void aSpentBudgetNamesTheBudgetTheSpendAndTheReset() {
        KeyRefusal own = KeyCheck.check(
                        key(budget("0.01"), Optional.empty(), false),
                        Optional.empty(),
                        "g",
                        NOW,
                        Usd.of("0.01"),
                        Usd.ZERO)
                .orElseThrow();
        assertEquals(
                "budget exceeded: key 'dev' has spent $0.01 of its $0.01 budget; it resets at 2026-12-09T12:00:00Z",
                own.message());
        KeyRefusal teams = KeyCheck.check(
                        key(budget("1"), Optional.empty(), false),
                        Optional.of(team(budget("5"), false)),
                        "g",
                        NOW,
                        Usd.of("0.5"),
                        Usd.of("5.2"))
                .orElseThrow();
        assertInstanceOf(KeyRefusal.OverBudget.class, teams);
        assertTrue(
                teams.message().startsWith("budget exceeded: team 'Platform' has spent $5.20 of its $5.00"),
                teams.message());
    }

    @Test
    void limitsAreValidatedAndAKeyHashNeverPrints() {
        assertEquals("KeyHash[****]", KeyHash.of("sk-kl-secret").toString());
        assertTrue(new Limits(OptionalLong.of(1), OptionalLong.empty(), OptionalInt.empty()).any());
    }
}
