package dev.keyline.adapters.state;

import dev.keyline.domain.routing.UsageLimit;
import dev.keyline.ports.out.Admission;
import dev.keyline.ports.out.UsageMeter;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One counted thing's requests and tokens of the current minute (fixed windows on the epoch minute) and its calls in
 * flight, in this process: what the in-process meters of deployments and of virtual keys both keep. Thread-safe.
 */
final class MinuteCounts {

    /** A freed call slot has no known time; a client retrying after a second will usually find one. */
    static final Duration PARALLEL_RETRY = Duration.ofSeconds(1);

    /** Stands for a limit not set. */
    static final long NONE = Long.MAX_VALUE;

    private long minute = Long.MIN_VALUE;
    private long requests;
    private long tokens;
    private int inFlight;

    private void roll(long now) {
        if (now != minute) {
            minute = now;
            requests = 0;
            tokens = 0;
        }
    }

    /**
     * Admits a call when under each limit ({@link #NONE} for none), counting it as a request and a call in flight.
     *
     * @return the admission, whose {@code leave} ends the call's in-flight count, or the limit it is at
     */
    synchronized Admission admit(Instant now, long rpm, long tpm, long parallel) {
        roll(UsageMeter.minute(now));
        if (requests >= rpm) {
            return new Admission.AtLimit(UsageLimit.REQUESTS_PER_MINUTE, UsageMeter.untilNextMinute(now));
        }
        if (tokens >= tpm) {
            return new Admission.AtLimit(UsageLimit.TOKENS_PER_MINUTE, UsageMeter.untilNextMinute(now));
        }
        if (inFlight >= parallel) {
            return new Admission.AtLimit(UsageLimit.PARALLEL_REQUESTS, PARALLEL_RETRY);
        }
        requests++;
        inFlight++;
        return new Admission.Admitted(leave());
    }

    /** Counts a call whatever the limits say. @return what ends its in-flight count */
    synchronized Runnable enter(Instant now) {
        roll(UsageMeter.minute(now));
        requests++;
        inFlight++;
        return leave();
    }

    synchronized void addTokens(Instant now, long added) {
        roll(UsageMeter.minute(now));
        tokens += added;
    }

    synchronized int inFlight() {
        return inFlight;
    }

    private Runnable leave() {
        AtomicBoolean left = new AtomicBoolean();
        return () -> {
            if (left.compareAndSet(false, true)) {
                synchronized (this) {
                    inFlight--;
                }
            }
        };
    }
}
