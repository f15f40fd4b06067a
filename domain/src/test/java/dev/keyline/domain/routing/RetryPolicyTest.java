package dev.keyline.domain.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.doubles;
import static org.quicktheories.generators.SourceDSL.integers;

import dev.keyline.domain.failure.ProviderFailure;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {

    private final RetryPolicy policy = RetryPolicy.withRetries(2);

    @Test
    void refusedRequests_areNeverRetried() {
        for (int status : new int[] {400, 413, 422}) {
            assertInstanceOf(
                    RetryDecision.Stop.class,
                    policy.decide(ProviderFailure.fromHttpStatus(status, "", Optional.empty()), 0, true, 0));
        }
    }

    @Test
    void refusedSettings_areRetriedOnlyOnAnotherDeployment() {
        ProviderFailure unauthorized = ProviderFailure.fromHttpStatus(401, "", Optional.empty());

        assertEquals(new RetryDecision.Retry(Duration.ZERO), policy.decide(unauthorized, 0, true, 0.5));
        assertInstanceOf(RetryDecision.Stop.class, policy.decide(unauthorized, 0, false, 0.5));
    }

    @Test
    void upstreamTrouble_isRetriedAtOnceElsewhere_orAfterBackoff() {
        ProviderFailure server = ProviderFailure.fromHttpStatus(500, "", Optional.empty());

        assertEquals(new RetryDecision.Retry(Duration.ZERO), policy.decide(server, 0, true, 0.9));
        assertEquals(new RetryDecision.Retry(Duration.ofMillis(500)), policy.decide(server, 0, false, 0));
        assertEquals(new RetryDecision.Retry(Duration.ofMillis(750)), policy.decide(server, 1, false, 1));
        assertInstanceOf(RetryDecision.Stop.class, policy.decide(server, 2, false, 0));
    }

    @Test
    void aTimeout_isRetriedOnlyOnAnotherDeployment_neverOnTheSameSilentOne() {
        ProviderFailure timeout = new ProviderFailure.Timeout(Duration.ofSeconds(10));

        assertEquals(new RetryDecision.Retry(Duration.ZERO), policy.decide(timeout, 0, true, 0));
        assertInstanceOf(RetryDecision.Stop.class, policy.decide(timeout, 0, false, 0));
        assertInstanceOf(
                RetryDecision.Stop.class,
                policy.decide(ProviderFailure.fromHttpStatus(504, "", Optional.empty()), 0, false, 0));
    }

    @Test
    void retryAfter_isHonouredUpToTheCap() {
        assertEquals(
                new RetryDecision.Retry(Duration.ofSeconds(3)),
                policy.decide(
                        ProviderFailure.fromHttpStatus(429, "", Optional.of(Duration.ofSeconds(3))), 0, false, 0));
        assertInstanceOf(
                RetryDecision.Stop.class,
                policy.decide(
                        ProviderFailure.fromHttpStatus(429, "", Optional.of(Duration.ofSeconds(9))), 0, false, 0));
    }

    @Test
    void backoff_growsButStaysWithinTheCap_withJitterOfAtMostAQuarter() {
        ProviderFailure refused = new ProviderFailure.ConnectionFailed("the connection was refused");
        RetryPolicy many = RetryPolicy.withRetries(50);
        qt().forAll(integers().between(0, 49), doubles().between(0, 0.999)).checkAssert((retries, jitter) -> {
            Duration delay = assertInstanceOf(RetryDecision.Retry.class, many.decide(refused, retries, false, jitter))
                    .delay();
            long full = Math.min(500L << Math.min(retries, 20), 8000);
            assertEquals(true, delay.toMillis() <= full && delay.toMillis() >= full * 3 / 4, retries + " → " + delay);
        });
    }
}
