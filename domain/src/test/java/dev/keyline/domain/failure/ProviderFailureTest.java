package dev.keyline.domain.failure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;

import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ProviderFailureTest {

    @Test
    void everyErrorStatus_isClassified_andRetriableOnlyForTransientOnes() {
        qt().forAll(integers().between(400, 599)).checkAssert(status -> {
            ProviderFailure failure = ProviderFailure.fromHttpStatus(status, "{}", Optional.empty());
            boolean transientStatus = status == 408 || status == 429 || status >= 500;
            assertEquals(transientStatus, failure.retriable(), "status " + status + " gave " + failure);
        });
    }

    @Test
    void theUpstreamsStatusAndBody_areKeptForRelay() {
        ProviderFailure failure = ProviderFailure.fromHttpStatus(401, "{\"error\":1}", Optional.empty());

        ProviderFailure.Unauthorized unauthorized = assertInstanceOf(ProviderFailure.Unauthorized.class, failure);
        assertEquals(new ErrorReply(401, "{\"error\":1}"), unauthorized.reply());
    }

    @Test
    void rateLimits_keepTheWaitTheUpstreamAskedFor() {
        ProviderFailure failure = ProviderFailure.fromHttpStatus(429, "", Optional.of(Duration.ofSeconds(7)));

        assertEquals(
                Optional.of(Duration.ofSeconds(7)),
                assertInstanceOf(ProviderFailure.RateLimited.class, failure).retryAfter());
        assertInstanceOf(ProviderFailure.Overloaded.class, ProviderFailure.fromHttpStatus(529, "", Optional.empty()));
        assertInstanceOf(
                ProviderFailure.RequestTooLarge.class, ProviderFailure.fromHttpStatus(413, "", Optional.empty()));
        assertInstanceOf(
                ProviderFailure.InvalidRequest.class, ProviderFailure.fromHttpStatus(422, "", Optional.empty()));
    }

    @Test
    void anErrorReply_isA4xxOr5xx() {
        assertThrows(IllegalArgumentException.class, () -> new ErrorReply(200, ""));
        assertThrows(IllegalArgumentException.class, () -> new ErrorReply(600, ""));
    }
}
