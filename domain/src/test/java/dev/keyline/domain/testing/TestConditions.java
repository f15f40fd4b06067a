package dev.keyline.domain.testing;

import java.time.Duration;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Waits in tests that are bounded and condition-driven: a test reads what it caused as soon as it is there, and fails
 * with what it last saw when it never comes. Never a fixed sleep: on a loaded machine a sleep is either too short
 * (flaky) or too long (slow).
 */
public final class TestConditions {

    private static final long POLL_NANOS = Duration.ofMillis(5).toNanos();

    private TestConditions() {}

    /**
     * @param bound    the longest wait; generous, since it is paid only when the test is failing anyway
     * @param read     reads the current state
     * @param accepted when the state is what the test waits for
     * @return the first accepted state
     * @throws AssertionError with the last state read when the bound passes first
     */
    public static <T> T await(Duration bound, Supplier<T> read, Predicate<? super T> accepted) {
        long deadline = System.nanoTime() + bound.toNanos();
        while (true) {
            T state = read.get();
            if (accepted.test(state)) {
                return state;
            }
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("still not there after " + bound.toMillis() + " ms; last seen: " + state);
            }
            try {
                Thread.sleep(Duration.ofNanos(POLL_NANOS));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting; last seen: " + state, e);
            }
        }
    }
}
