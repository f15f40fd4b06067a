package dev.keyline.ports.out;

import java.time.Duration;
import java.util.Optional;

/**
 * Hears how one upstream call went, for the request's journal. It travels with the {@link ProviderRequest} of that
 * call; provider adapters pass it on untouched, and the gateway's measuring decorator reports to it.
 */
public interface HopObserver {

    /**
     * The call's answer arrived (a JSON answer whole, a stream's first event), or the call failed.
     *
     * @param outcome           {@code ok}, or the failure's class ({@code rate_limit}, {@code timeout}, …)
     * @param status            the upstream's HTTP status, 0 when it sent none
     * @param upstream          how long the upstream took to that point
     * @param upstreamRequestId the upstream's own {@code request-id}, when it sent one
     */
    void answered(String outcome, int status, Duration upstream, Optional<String> upstreamRequestId);

    /**
     * The call's tokens, once known (a stream's when it is closed).
     *
     * @param input      input tokens, cache writes and reads included
     * @param output     output tokens
     * @param cacheWrite of the input, tokens written to the prompt cache
     * @param cacheRead  of the input, tokens read from the prompt cache
     */
    void tokens(long input, long output, long cacheWrite, long cacheRead);

    /**
     * A stream that had opened broke before its end.
     *
     * @param outcome the failure's class ({@code timeout}, {@code connection}, …)
     */
    void broke(String outcome);

    /**
     * @return the W3C {@code traceparent} this call sends upstream: its own client span's when the gateway traces,
     *     the client's own when it sent one and the gateway does not; empty otherwise
     */
    default Optional<String> traceparent() {
        return Optional.empty();
    }

    /** @return an observer that hears nothing */
    static HopObserver none() {
        return None.INSTANCE;
    }

    /** Hears nothing. */
    enum None implements HopObserver {
        INSTANCE;

        @Override
        public void answered(String outcome, int status, Duration upstream, Optional<String> upstreamRequestId) {}

        @Override
        public void tokens(long input, long output, long cacheWrite, long cacheRead) {}

        @Override
        public void broke(String outcome) {}
    }
}
