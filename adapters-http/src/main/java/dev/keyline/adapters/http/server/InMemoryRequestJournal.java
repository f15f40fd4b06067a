package dev.keyline.adapters.http.server;

import dev.keyline.domain.deployment.Deployment;
import dev.keyline.ports.in.Hop;
import dev.keyline.ports.in.HopRole;
import dev.keyline.ports.in.RequestId;
import dev.keyline.ports.in.RequestJournal;
import dev.keyline.ports.out.HopObserver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A front door's journal of one request, kept in memory until the request is done and read for its access line, hop
 * lines, metrics and status-page entry. Every method takes the journal's lock: a request's calls are sequential, but
 * a stream's tokens arrive on the thread that closes it and searches end on their own threads.
 */
public final class InMemoryRequestJournal implements RequestJournal {

    private final RequestId id;
    private final List<Entry> hops = new ArrayList<>();
    private boolean loop;
    private long searchNanos;
    private long firstByteNanos = -1;
    private long firstByteWaitNanos;

    public InMemoryRequestJournal(RequestId id) {
        this.id = Objects.requireNonNull(id, "'id' must not be null");
    }

    @Override
    public RequestId id() {
        return id;
    }

    @Override
    public synchronized HopObserver open(Deployment deployment, HopRole role) {
        Entry entry = new Entry(hops.size() + 1, role, deployment);
        hops.add(entry);
        return entry;
    }

    @Override
    public synchronized void loopStarted() {
        loop = true;
    }

    @Override
    public synchronized void searching(int count) {
        if (!hops.isEmpty()) {
            hops.getLast().searches += count;
        }
    }

    @Override
    public synchronized void searched(Duration wall) {
        searchNanos += wall.toNanos();
    }

    /**
     * The client's first byte is leaving now (a stream's first event). The upstream and search time spent before
     * it is kept, so the gateway's own share of the wait can be told apart.
     */
    public synchronized void firstByte(long nanoTime) {
        if (firstByteNanos < 0) {
            firstByteNanos = nanoTime;
            firstByteWaitNanos = waitedNanos();
        }
    }

    /** @return whether the request became a web-search loop */
    public synchronized boolean isLoop() {
        return loop;
    }

    /** @return every call so far, in order */
    public synchronized List<Hop> hops() {
        return hops.stream().map(Entry::snapshot).toList();
    }

    /** @return the searches run for this request */
    public synchronized int searches() {
        return hops.stream().mapToInt(e -> e.searches).sum();
    }

    /**
     * @param startedNanos when the request arrived ({@link System#nanoTime()})
     * @param endedNanos   when its answer ended; ignored for a stream, measured to its first byte
     * @return the time the gateway itself added: to the answer (a stream: to its first byte), less the time spent
     *         waiting on upstreams and searches; never negative
     */
    public synchronized Duration added(long startedNanos, long endedNanos) {
        long added = firstByteNanos >= 0
                ? firstByteNanos - startedNanos - firstByteWaitNanos
                : endedNanos - startedNanos - waitedNanos();
        return Duration.ofNanos(Math.max(0, added));
    }

    private long waitedNanos() {
        long upstream = 0;
        for (Entry entry : hops) {
            upstream += entry.upstreamNanos;
        }
        return upstream + searchNanos;
    }

    /** One call's entry; written under the journal's lock. */
    private final class Entry implements HopObserver {
        private final int index;
        private final HopRole role;
        private final Deployment deployment;
        private String outcome = "pending";
        private int status;
        private long upstreamNanos;
        private long inputTokens;
        private long outputTokens;
        private int searches;
        private Optional<String> upstreamRequestId = Optional.empty();

        Entry(int index, HopRole role, Deployment deployment) {
            this.index = index;
            this.role = role;
            this.deployment = deployment;
        }

        @Override
        public void answered(String outcome, int status, Duration upstream, Optional<String> upstreamRequestId) {
            synchronized (InMemoryRequestJournal.this) {
                this.outcome = outcome;
                this.status = status;
                this.upstreamNanos = upstream.toNanos();
                this.upstreamRequestId = upstreamRequestId;
            }
        }

        @Override
        public void tokens(long input, long output) {
            synchronized (InMemoryRequestJournal.this) {
                inputTokens = input;
                outputTokens = output;
            }
        }

        @Override
        public void broke(String outcome) {
            synchronized (InMemoryRequestJournal.this) {
                this.outcome = outcome;
            }
        }

        Hop snapshot() {
            return new Hop(
                    index,
                    role,
                    deployment.group().value(),
                    deployment.id().value(),
                    outcome,
                    status,
                    Duration.ofNanos(upstreamNanos),
                    inputTokens,
                    outputTokens,
                    searches,
                    upstreamRequestId);
        }
    }
}
