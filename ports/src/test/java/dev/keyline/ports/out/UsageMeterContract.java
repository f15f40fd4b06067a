package dev.keyline.ports.out;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.keyline.domain.deployment.Deployment;
import dev.keyline.domain.deployment.RoutingHints;
import dev.keyline.domain.routing.UsageLimit;
import dev.keyline.domain.testing.TestDeployments;
import dev.keyline.ports.testing.MutableClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** What every {@link UsageMeter} must do; each adapter runs these tests. */
public abstract class UsageMeterContract {

    /** Thirty seconds into a minute, so a test can tell "the next minute" from "a minute from now". */
    protected final MutableClock clock =
            new MutableClock(MutableClock.atSomeMoment().instant().plusSeconds(30));

    /** @return a fresh meter reading time from {@link #clock} */
    protected abstract UsageMeter createMeter();

    @Test
    void rpm_admitsThatManyRequestsAMinute_thenSaysWhenTheNextMinuteStarts() {
        UsageMeter meter = createMeter();
        Deployment limited = deployment("rpm", 3, 0, 0);

        for (int i = 0; i < 3; i++) {
            assertInstanceOf(Admission.Admitted.class, meter.admit(limited))
                    .leave()
                    .run();
        }
        Admission.AtLimit atLimit = assertInstanceOf(Admission.AtLimit.class, meter.admit(limited));
        assertEquals(UsageLimit.REQUESTS_PER_MINUTE, atLimit.limit());
        assertEquals(Duration.ofSeconds(30), atLimit.retryIn());

        clock.advance(Duration.ofSeconds(30));
        assertInstanceOf(Admission.Admitted.class, meter.admit(limited));
    }

    @Test
    void tpm_countsTheTokensOfFinishedCalls() {
        UsageMeter meter = createMeter();
        Deployment limited = deployment("tpm", 0, 1_000, 0);

        assertInstanceOf(Admission.Admitted.class, meter.admit(limited)).leave().run();
        meter.addTokens(limited, 600);
        assertInstanceOf(Admission.Admitted.class, meter.admit(limited)).leave().run();
        meter.addTokens(limited, 400);
        assertEquals(
                UsageLimit.TOKENS_PER_MINUTE,
                assertInstanceOf(Admission.AtLimit.class, meter.admit(limited)).limit());

        clock.advance(Duration.ofSeconds(30));
        assertInstanceOf(Admission.Admitted.class, meter.admit(limited));
    }

    @Test
    void maxParallelRequests_holdsCallsInFlight_andAFinishedCallFreesItsSlotOnce() {
        UsageMeter meter = createMeter();
        Deployment limited = deployment("parallel", 0, 0, 2);

        Runnable first =
                assertInstanceOf(Admission.Admitted.class, meter.admit(limited)).leave();
        assertInstanceOf(Admission.Admitted.class, meter.admit(limited));
        assertEquals(2, meter.inFlight(limited.id()));
        assertEquals(
                UsageLimit.PARALLEL_REQUESTS,
                assertInstanceOf(Admission.AtLimit.class, meter.admit(limited)).limit());

        first.run();
        first.run();
        assertEquals(1, meter.inFlight(limited.id()));
        assertInstanceOf(Admission.Admitted.class, meter.admit(limited));
        assertEquals(2, meter.inFlight(limited.id()));
    }

    @Test
    void enter_isNeverRefused_butCounts() {
        UsageMeter meter = createMeter();
        Deployment limited = deployment("follow-ups", 1, 0, 1);

        assertInstanceOf(Admission.Admitted.class, meter.admit(limited));
        Runnable followUp = meter.enter(limited);
        assertEquals(2, meter.inFlight(limited.id()));
        followUp.run();
        assertEquals(1, meter.inFlight(limited.id()));
        assertInstanceOf(Admission.AtLimit.class, meter.admit(limited));
    }

    @Test
    void aDeploymentWithoutLimits_isAlwaysAdmitted() {
        UsageMeter meter = createMeter();
        Deployment free = TestDeployments.deployment("free", "g");

        for (int i = 0; i < 50; i++) {
            assertInstanceOf(Admission.Admitted.class, meter.admit(free));
        }
        assertEquals(50, meter.inFlight(free.id()));
    }

    @Test
    void concurrentAdmissions_neverPassTheLimit() throws Exception {
        UsageMeter meter = createMeter();
        Deployment limited = deployment("contended", 25, 0, 0);
        AtomicInteger admitted = new AtomicInteger();

        try (ExecutorService executor = Executors.newFixedThreadPool(8)) {
            List<Future<?>> calls = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                calls.add(executor.submit(() -> {
                    if (meter.admit(limited) instanceof Admission.Admitted a) {
                        admitted.incrementAndGet();
                        a.leave().run();
                    }
                }));
            }
            for (Future<?> call : calls) {
                call.get();
            }
        }
        assertEquals(25, admitted.get());
        assertEquals(0, meter.inFlight(limited.id()));
    }

    private static Deployment deployment(String id, int rpm, int tpm, int parallel) {
        return TestDeployments.deployment(id, "g", RoutingHints.defaults().withLimits(rpm, tpm, parallel));
    }
}
