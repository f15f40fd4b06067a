package dev.keyline.ports.out;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keyline.domain.deployment.DeploymentId;
import dev.keyline.domain.deployment.ModelGroupName;
import dev.keyline.domain.routing.Cooldown;
import dev.keyline.domain.routing.FailureClass;
import dev.keyline.ports.testing.MutableClock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What every {@link CooldownStore} must do; each adapter, fakes included, runs these tests. */
public abstract class CooldownStoreContract {

    protected final MutableClock clock = MutableClock.atSomeMoment();
    private static final DeploymentId A = new DeploymentId("a");
    private static final DeploymentId B = new DeploymentId("b");
    private static final ModelGroupName GROUP = new ModelGroupName("g");

    /** @return a fresh store reading time from {@link #clock} */
    protected abstract CooldownStore createStore();

    @Test
    void aCooldown_isActiveUntilItsEnd_andGoneAfter() {
        CooldownStore store = createStore();
        store.coolDown(cooldown(A, Duration.ofSeconds(5)));

        clock.advance(Duration.ofMillis(4_999));
        assertTrue(store.activeCooldown(A).isPresent());
        clock.advance(Duration.ofMillis(1));
        assertEquals(Optional.empty(), store.activeCooldown(A));
        assertEquals(List.of(), store.activeCooldowns());
    }

    @Test
    void coolingAgain_keepsTheLaterEnd() {
        CooldownStore store = createStore();
        Cooldown longer = cooldown(A, Duration.ofSeconds(30));
        store.coolDown(longer);
        store.coolDown(cooldown(A, Duration.ofSeconds(5)));

        assertEquals(longer.until(), store.activeCooldown(A).orElseThrow().until());
        store.coolDown(cooldown(A, Duration.ofSeconds(60)));
        assertEquals(
                clock.instant().plusSeconds(60),
                store.activeCooldown(A).orElseThrow().until());
    }

    @Test
    void activeCooldowns_listsSoonestEndFirst() {
        CooldownStore store = createStore();
        store.coolDown(cooldown(A, Duration.ofSeconds(20)));
        store.coolDown(cooldown(B, Duration.ofSeconds(10)));

        assertEquals(
                List.of(B, A),
                store.activeCooldowns().stream().map(Cooldown::deployment).toList());
    }

    @Test
    void failures_areCountedPerDeploymentAndClass_withinAWindowOpenedByTheFirst() {
        CooldownStore store = createStore();

        assertEquals(1, store.recordFailure(A, FailureClass.TIMEOUT));
        assertEquals(2, store.recordFailure(A, FailureClass.TIMEOUT));
        assertEquals(1, store.recordFailure(A, FailureClass.RATE_LIMIT));
        assertEquals(1, store.recordFailure(B, FailureClass.TIMEOUT));
        clock.advance(CooldownStore.FAILURE_WINDOW.minusMillis(1));
        assertEquals(3, store.recordFailure(A, FailureClass.TIMEOUT));
        clock.advance(Duration.ofMillis(1));
        assertEquals(1, store.recordFailure(A, FailureClass.TIMEOUT), "a new window opens");
    }

    private Cooldown cooldown(DeploymentId id, Duration rest) {
        return new Cooldown(id, GROUP, clock.instant().plus(rest), "rate limited (HTTP 429)");
    }
}
