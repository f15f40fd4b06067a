package dev.keyline.adapters.frontdoors.server;

import dev.keyline.domain.deployment.Deployment;
import dev.keyline.ports.in.Caller;
import dev.keyline.ports.in.Hop;
import dev.keyline.ports.in.HopRole;
import dev.keyline.ports.in.RequestId;
import dev.keyline.ports.in.RequestJournal;
import dev.keyline.ports.out.HopObserver;
import io.helidon.webserver.http.ServerRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A front door's journal of one request, kept in memory until the request is done and read for its access line, hop
 * lines, metrics, traces and status-page entry. Every method takes the journal's lock: a request's calls are
 * sequential, but a stream's tokens arrive on the thread that closes it and searches end on their own threads.
 */
public final class InMemoryRequestJournal implements RequestJournal {

    /**
     * One search the gateway ran.
     *
     * @param hop     the index of the call whose answer asked for it
     * @param at      when it started, from the request's arrival
     * @param took    how long it took
     * @param outcome {@code ok} or the search error's name
     */
    public record Search(int hop, Duration at, Duration took, String outcome) {}

    private final RequestId id;
    private final long arrivedNanos;
    private final Caller caller;
    private final TraceContext trace;
    private Runnable release = () -> {};
    private boolean accounted;
    private final List<Entry> hops = new ArrayList<>();
    private final List<long[]> searchSpans = new ArrayList<>();
    private final List<Search> searches = new ArrayList<>();
    private boolean loop;
    private long firstByteNanos = -1;
    private long firstByteWaitNanos;

    /**
     * @param arrivedNanos when the request arrived, by {@link System#nanoTime()}
     * @param caller       who sent it
     */
    public InMemoryRequestJournal(RequestId id, long arrivedNanos, Caller caller) {
        this(id, arrivedNanos, caller, TraceContext.of(Optional.empty(), false, ThreadLocalRandom.current()));
    }

    /** @param trace the request's place in a trace: its upstream calls send their {@code traceparent} from it */
    public InMemoryRequestJournal(RequestId id, long arrivedNanos, Caller caller, TraceContext trace) {
        this.id = Objects.requireNonNull(id, "'id' must not be null");
        this.arrivedNanos = arrivedNanos;
        this.caller = Objects.requireNonNull(caller, "'caller' must not be null");
        this.trace = Objects.requireNonNull(trace, "'trace' must not be null");
    }

    public InMemoryRequestJournal(RequestId id, long arrivedNanos) {
        this(id, arrivedNanos, Caller.OPERATOR);
    }

    /** @return the journal of a request arriving now, under the id {@link RequestIds} gave it */
    public static InMemoryRequestJournal of(ServerRequest req) {
        long arrived = System.nanoTime();
        return new InMemoryRequestJournal(RequestIds.of(req), arrived, Authenticated.of(req), RequestTraces.of(req));
    }

    /** @return true the first time only: whether the request is still to be accounted to its caller's key */
    public synchronized boolean markAccounted() {
        boolean first = !accounted;
        accounted = true;
        return first;
    }

    /** @return who sent the request */
    public Caller caller() {
        return caller;
    }

    /** @param release what ends the request's count against its key's limits, run when it is done */
    public synchronized void onDone(Runnable release) {
        this.release = Objects.requireNonNull(release, "'release' must not be null");
    }

    /** Runs what {@link #onDone} left, once; the access line does, and a door's handler if it fails before that. */
    public synchronized void done() {
        Runnable run = release;
        release = () -> {};
        run.run();
    }

    @Override
    public RequestId id() {
        return id;
    }

    /** @return when the request arrived, by {@link System#nanoTime()} */
    public long arrivedNanos() {
        return arrivedNanos;
    }

    @Override
    public synchronized HopObserver open(Deployment deployment, HopRole role) {
        Entry entry = new Entry(hops.size() + 1, role, deployment, System.nanoTime() - arrivedNanos);
        hops.add(entry);
        return entry;
    }

    @Override
    public synchronized void loopStarted() {
        loop = true;
    }

    @Override
    public synchronized void searched(long startedNanos, long endedNanos, String outcome) {
        int hop = hops.size();
        if (hop > 0) {
            hops.getLast().searches++;
        }
        searchSpans.add(new long[] {startedNanos, endedNanos});
        searches.add(new Search(
                hop,
                Duration.ofNanos(startedNanos - arrivedNanos),
                Duration.ofNanos(endedNanos - startedNanos),
                outcome));
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

    /** @return every search run so far, in the order they ended */
    public synchronized List<Search> searches() {
        return List.copyOf(searches);
    }

    /**
     * @param endedNanos when the answer ended; ignored for a stream, measured to its first byte
     * @return the time the gateway itself added: to the answer (a stream: to its first byte), less the time spent
     *         waiting on upstreams and on searches (a round of parallel searches counts once); never negative
     */
    public synchronized Duration added(long endedNanos) {
        long added = firstByteNanos >= 0
                ? firstByteNanos - arrivedNanos - firstByteWaitNanos
                : endedNanos - arrivedNanos - waitedNanos();
        return Duration.ofNanos(Math.max(0, added));
    }

    private long waitedNanos() {
        long waited = 0;
        for (Entry entry : hops) {
            waited += entry.upstreamNanos;
        }
        // Searches of a round overlap: the time waited is the length of their union.
        List<long[]> spans = new ArrayList<>(searchSpans);
        spans.sort(Comparator.comparingLong(span -> span[0]));
        long coveredTo = Long.MIN_VALUE;
        for (long[] span : spans) {
            long from = Math.max(span[0], coveredTo);
            if (span[1] > from) {
                waited += span[1] - from;
            }
            coveredTo = Math.max(coveredTo, span[1]);
        }
        return waited;
    }

    /** @return the request's place in a trace */
    public TraceContext trace() {
        return trace;
    }

    /** @return the span id of each upstream call, in order (empty strings when spans are not exported) */
    public synchronized List<String> hopSpans() {
        return hops.stream().map(e -> e.spanId).toList();
    }

    /** One call's entry; written under the journal's lock. */
    private final class Entry implements HopObserver {
        private final int index;
        private final HopRole role;
        private final Deployment deployment;
        private final long atNanos;
        private String outcome = "pending";
        private int status;
        private long upstreamNanos;
        private long inputTokens;
        private long outputTokens;
        private long cacheWriteTokens;
        private long cacheReadTokens;
        private int searches;
        private Optional<String> upstreamRequestId = Optional.empty();
        /** The call's client span, chosen now so the call can send it upstream. */
        private final String spanId;

        Entry(int index, HopRole role, Deployment deployment, long atNanos) {
            this.index = index;
            this.role = role;
            this.deployment = deployment;
            this.atNanos = atNanos;
            this.spanId = trace.exported() ? TraceContext.newSpanId(ThreadLocalRandom.current()) : "";
        }

        @Override
        public Optional<String> traceparent() {
            return trace.forCall(spanId);
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
        public void tokens(long input, long output, long cacheWrite, long cacheRead) {
            synchronized (InMemoryRequestJournal.this) {
                inputTokens = input;
                outputTokens = output;
                cacheWriteTokens = cacheWrite;
                cacheReadTokens = cacheRead;
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
                    Duration.ofNanos(atNanos),
                    Duration.ofNanos(upstreamNanos),
                    inputTokens,
                    outputTokens,
                    cacheWriteTokens,
                    cacheReadTokens,
                    searches,
                    upstreamRequestId);
        }
    }
}
