package dev.keyline.adapters.database;

import dev.keyline.domain.keys.KeyHash;
import dev.keyline.domain.keys.SpendEntry;
import dev.keyline.domain.keys.Usd;
import dev.keyline.ports.out.SpendLog;
import dev.keyline.ports.out.Telemetry;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Writes a spend log in batches, off the request path: {@link #append} only queues. A writer thread writes what is
 * queued every {@link #INTERVAL} (sooner when a batch fills). While the database is away entries stay queued, up to
 * a bound, and are written when it returns; only a full queue gives entries up, oldest first, with a log line and a
 * metric. {@link #close} writes what is left. Reads go to the log itself.
 */
public final class BatchingSpendLog implements SpendLog, AutoCloseable {

    static final Duration INTERVAL = Duration.ofMillis(500);
    static final int BATCH = 500;
    // Short: a retry is one cheap connection attempt, and held spend should reach the database soon after it returns.
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(2);
    private static final System.Logger LOG = System.getLogger(BatchingSpendLog.class.getName());

    private final SpendLog log;
    private final Telemetry telemetry;
    private final int capacity;
    private final ArrayDeque<SpendEntry> queue = new ArrayDeque<>();
    private final Thread writer;
    private long dropped;
    private long droppedReported;
    private boolean away;
    private boolean closing;

    /**
     * @param capacity how many entries may wait while the database is away
     */
    public BatchingSpendLog(SpendLog log, Telemetry telemetry, int capacity) {
        this.log = Objects.requireNonNull(log, "'log' must not be null");
        this.telemetry = Objects.requireNonNull(telemetry, "'telemetry' must not be null");
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be 1 or more");
        }
        this.capacity = capacity;
        this.writer = Thread.ofPlatform().daemon().name("keyline-spend-writer").start(this::run);
    }

    @Override
    public void append(List<SpendEntry> entries) {
        synchronized (queue) {
            for (SpendEntry entry : entries) {
                if (queue.size() >= capacity) {
                    queue.pollFirst();
                    dropped++;
                    if (dropped == 1 || dropped % 1000 == 0) {
                        LOG.log(
                                Level.ERROR,
                                "spend log: {0} entries given up so far; the queue of {1} is full while the "
                                        + "database is away",
                                dropped,
                                capacity);
                    }
                }
                queue.addLast(entry);
            }
            if (queue.size() >= BATCH) {
                queue.notifyAll();
            }
        }
    }

    /** @return entries waiting to be written */
    public int pending() {
        synchronized (queue) {
            return queue.size();
        }
    }

    /** @return entries given up since start (only when the queue was full) */
    public long dropped() {
        synchronized (queue) {
            return dropped;
        }
    }

    private void run() {
        Duration wait = INTERVAL;
        while (true) {
            synchronized (queue) {
                if (!closing && queue.size() < BATCH) {
                    try {
                        queue.wait(wait.toMillis());
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                if (closing) {
                    return;
                }
            }
            boolean written;
            synchronized (this) {
                written = writeOnce();
            }
            wait = written ? INTERVAL : next(wait);
        }
    }

    private static Duration next(Duration wait) {
        Duration doubled = wait.multipliedBy(2);
        return doubled.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : doubled;
    }

    /** Writes what is queued, a batch at a time. @return false when the database refused */
    private boolean writeOnce() {
        while (true) {
            List<SpendEntry> batch;
            synchronized (queue) {
                batch = new ArrayList<>(Math.min(queue.size(), BATCH));
                for (SpendEntry entry : queue) {
                    if (batch.size() == BATCH) {
                        break;
                    }
                    batch.add(entry);
                }
            }
            if (batch.isEmpty()) {
                report();
                return true;
            }
            try {
                log.append(batch);
            } catch (RuntimeException e) {
                if (!away) {
                    away = true;
                    LOG.log(
                            Level.WARNING,
                            "spend log: the database is away ({0}); {1} entries held until it returns",
                            e.getMessage(),
                            pending());
                }
                report();
                return false;
            }
            synchronized (queue) {
                // Entries given up while the batch was written were the oldest: drop only what is still queued.
                for (SpendEntry written : batch) {
                    if (!queue.isEmpty() && queue.peekFirst() == written) {
                        queue.pollFirst();
                    }
                }
            }
            if (away) {
                away = false;
                LOG.log(Level.INFO, "spend log: the database is back; held entries are being written");
            }
        }
    }

    private void report() {
        int pending;
        long newlyDropped;
        synchronized (queue) {
            pending = queue.size();
            newlyDropped = dropped - droppedReported;
            droppedReported = dropped;
        }
        telemetry.spendBacklog(pending, newlyDropped);
    }

    /**
     * Writes everything queued now, on the caller's thread.
     *
     * @return whether the queue was emptied
     */
    public boolean flush() {
        synchronized (this) {
            return writeOnce() && pending() == 0;
        }
    }

    /** Stops the writer and writes what is left, trying for at most {@code within}. */
    public void close(Duration within) {
        synchronized (queue) {
            closing = true;
            queue.notifyAll();
        }
        try {
            writer.join(within.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        long deadline = System.nanoTime() + within.toNanos();
        Duration wait = Duration.ofMillis(100);
        while (!flush() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(wait.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            wait = next(wait);
        }
        int left = pending();
        if (left > 0) {
            LOG.log(Level.ERROR, "spend log: {0} entries could not be written before stop; they are lost", left);
            synchronized (queue) {
                dropped += left;
                queue.clear();
            }
            report();
        }
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(10));
    }

    @Override
    public List<SpendEntry> entries(Query query) {
        return log.entries(query);
    }

    @Override
    public Usd spentByKey(KeyHash key, Instant since) {
        return log.spentByKey(key, since);
    }

    @Override
    public Usd spentByTeam(String teamId, Instant since) {
        return log.spentByTeam(teamId, since);
    }

    @Override
    public List<Bucket> buckets(Instant from, Instant to, Duration width, Dimension by) {
        return log.buckets(from, to, width, by);
    }

    @Override
    public List<KeyTotal> keyTotals() {
        return log.keyTotals();
    }
}
