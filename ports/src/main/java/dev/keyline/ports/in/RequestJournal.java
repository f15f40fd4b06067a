package dev.keyline.ports.in;

import dev.keyline.domain.deployment.Deployment;
import dev.keyline.ports.out.HopObserver;

/**
 * Where what happens to one client request is written down on its way through the gateway: its id, every upstream
 * call with how it went, and its searches. The front door opens one per request and reads it when the request is
 * done (for the access line, the hop lines, the metrics and the status page); the router and the search loops write
 * to it. Implementations must be safe for the threads of one request: its calls are sequential, but a stream's
 * tokens arrive on the thread that closes it and searches run in parallel.
 */
public interface RequestJournal {

    /** @return the id the request is known by */
    RequestId id();

    /**
     * Opens the entry of an upstream call about to be made.
     *
     * @return what hears the call's outcome; it goes with the call's request
     */
    HopObserver open(Deployment deployment, HopRole role);

    /** The request became a web-search loop: the gateway runs its searches. */
    void loopStarted();

    /**
     * One search ran, for the answer of the latest call.
     *
     * @param startedNanos when it started, by {@link System#nanoTime()}
     * @param endedNanos   when its result was in
     * @param outcome      {@code ok} or the search error's name
     */
    void searched(long startedNanos, long endedNanos, String outcome);

    /** @return a journal that keeps nothing, for requests no one reads about (tests, internal calls) */
    static RequestJournal untracked() {
        return Untracked.INSTANCE;
    }

    /** Keeps nothing. */
    enum Untracked implements RequestJournal {
        INSTANCE;

        private static final RequestId ID = new RequestId("untracked");

        @Override
        public RequestId id() {
            return ID;
        }

        @Override
        public HopObserver open(Deployment deployment, HopRole role) {
            return HopObserver.none();
        }

        @Override
        public void loopStarted() {}

        @Override
        public void searched(long startedNanos, long endedNanos, String outcome) {}
    }
}
