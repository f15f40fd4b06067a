package dev.keyline.adapters.providers.common;

import dev.keyline.domain.failure.ProviderFailure;
import dev.keyline.ports.out.ProviderStream;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * Gives up on an upstream that has not sent a stream's first event in time. The socket's read timeout cannot do
 * this: it bounds each read, so it is the idle time allowed between events for the rest of the stream, which is
 * longer. A virtual thread blocked on a socket read is released by an interrupt (the JDK closes the socket), so
 * the watch interrupts the waiting thread when the time is up. On a platform thread an interrupt would not
 * release the read and could leak into later waits, so nothing is armed there and the read timeout alone applies;
 * Keyline serves every request on a virtual thread.
 */
public final class FirstByteWatch {

    private final ScheduledThreadPoolExecutor timer;

    public FirstByteWatch() {
        timer = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, "keyline-first-byte-watch");
            thread.setDaemon(true);
            return thread;
        });
        timer.setRemoveOnCancelPolicy(true);
    }

    /**
     * @param budget how long the current thread may wait
     * @return the armed watch; {@link Watch#stop()} it as soon as the first event is in (or the wait failed)
     */
    public Watch start(Duration budget) {
        Thread waiter = Thread.currentThread();
        Watch watch = new Watch(waiter);
        if (waiter.isVirtual()) {
            watch.task = timer.schedule(watch::fire, budget.toNanos(), TimeUnit.NANOSECONDS);
        }
        return watch;
    }

    /**
     * Opens a stream within a first-byte budget: a stream whose first event came as the time ran out is closed and
     * not trusted.
     *
     * @param open sends the request and reads up to the first event
     */
    public ProviderStream watched(Duration budget, Supplier<ProviderStream> open) {
        Watch watch = start(budget);
        ProviderStream opened = open.get();
        if (watch.stop()) {
            if (opened instanceof ProviderStream.Opened late) {
                late.events().close();
            }
            return new ProviderStream.Failed(new ProviderFailure.Timeout(budget));
        }
        return opened;
    }

    /**
     * Runs a call whose wait the request's deadline cuts shorter than the deployment's read timeout. The connection
     * keeps the deployment's own read timeout, because the HTTP client pools connections per read timeout: a
     * per-request value would open, and keep, a connection per request until the process runs out of files. The
     * watch holds the shorter budget instead.
     *
     * @param budget      what is left for this call
     * @param readTimeout the read timeout the connection carries
     * @param call        the call
     * @param timedOut    the answer when the budget ran out
     */
    public <T> T within(Duration budget, Duration readTimeout, Supplier<T> call, Supplier<T> timedOut) {
        if (budget.compareTo(readTimeout) >= 0) {
            return call.get();
        }
        if (!Thread.currentThread().isVirtual()) {
            // Only a virtual thread's blocked read is released by an interrupt: a platform caller waits for one.
            return onAVirtualThread(() -> within(budget, readTimeout, call, timedOut), timedOut);
        }
        Watch watch = start(budget);
        T result = call.get();
        return watch.stop() ? timedOut.get() : result;
    }

    private static <T> T onAVirtualThread(Supplier<T> call, Supplier<T> interrupted) {
        AtomicReference<T> result = new AtomicReference<>();
        AtomicReference<RuntimeException> failure = new AtomicReference<>();
        Thread thread = Thread.ofVirtual().start(() -> {
            try {
                result.set(call.get());
            } catch (RuntimeException e) {
                failure.set(e);
            }
        });
        try {
            thread.join();
        } catch (InterruptedException e) {
            thread.interrupt();
            Thread.currentThread().interrupt();
            return interrupted.get();
        }
        if (failure.get() != null) {
            throw failure.get();
        }
        return result.get();
    }

    /** One wait for a first event. */
    public static final class Watch {
        private final Thread waiter;
        private ScheduledFuture<?> task;
        private boolean stopped;
        private boolean fired;

        private Watch(Thread waiter) {
            this.waiter = waiter;
        }

        private synchronized void fire() {
            if (!stopped) {
                fired = true;
                waiter.interrupt();
            }
        }

        /**
         * Disarms the watch; called by the waiting thread.
         *
         * @return whether the time ran out (the wait was interrupted by this watch)
         */
        synchronized boolean stop() {
            stopped = true;
            if (task != null) {
                task.cancel(false);
            }
            if (fired) {
                Thread.interrupted(); // the interrupt was this watch's, not the caller's to see
            }
            return fired;
        }
    }
}
