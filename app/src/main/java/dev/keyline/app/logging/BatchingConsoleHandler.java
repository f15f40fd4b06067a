package dev.keyline.app.logging;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.logging.ErrorManager;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;

/**
 * Log lines to standard output, written in batches when many arrive at once. A line is formatted by the thread that
 * logs it and appended to a buffer; the first thread to find no write under way writes the buffer out, and lines
 * that arrive meanwhile go out with its next write. Alone, a line is written at once, as with {@code ConsoleHandler};
 * under load one write carries many lines instead of one lock hand-off and one system call each (the access line of
 * every request cost about a tenth of the gateway's throughput that way). Nothing waits on a timer, so no line is
 * held back. A writer's extra work is bounded by what others log while it writes, a few lines per batch. A full
 * buffer (standard output not read) makes loggers wait, as a blocked stream always did, rather than grow without
 * bound.
 *
 * <p>Configured like {@code ConsoleHandler}: {@code <this class>.level} and {@code <this class>.formatter} in
 * {@code logging.properties}; the formatter defaults to {@link ConsoleLineFormatter}.
 */
public final class BatchingConsoleHandler extends Handler {

    private static final int MOST_BUFFERED = 4 * 1024 * 1024;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition drained = lock.newCondition();
    private final Condition idle = lock.newCondition();
    private ByteArrayOutputStream pending = new ByteArrayOutputStream(8192);
    private ByteArrayOutputStream spare = new ByteArrayOutputStream(8192);
    private boolean writing;

    public BatchingConsoleHandler() {
        LogManager manager = LogManager.getLogManager();
        String prefix = getClass().getName();
        setLevel(level(manager.getProperty(prefix + ".level")));
        setFormatter(formatter(manager.getProperty(prefix + ".formatter")));
    }

    @Override
    public void publish(LogRecord record) {
        if (!isLoggable(record)) {
            return;
        }
        byte[] line;
        try {
            line = getFormatter().format(record).getBytes(StandardCharsets.UTF_8);
        } catch (RuntimeException e) {
            reportError(null, e, ErrorManager.FORMAT_FAILURE);
            return;
        }
        lock.lock();
        try {
            while (pending.size() >= MOST_BUFFERED) {
                drained.awaitUninterruptibly();
            }
            pending.writeBytes(line);
            if (writing) {
                return; // the thread writing now takes it with its next batch
            }
            writing = true;
        } finally {
            lock.unlock();
        }
        writeBatches();
    }

    /** Writes batches until the buffer is empty; only the thread that set {@code writing} calls it. */
    private void writeBatches() {
        while (true) {
            ByteArrayOutputStream out;
            lock.lock();
            try {
                if (pending.size() == 0) {
                    writing = false;
                    idle.signalAll();
                    return;
                }
                out = pending;
                pending = spare;
                spare = out;
                drained.signalAll();
            } finally {
                lock.unlock();
            }
            PrintStream stdout = System.out;
            try {
                out.writeTo(stdout); // the buffer itself, not a copy
            } catch (IOException e) {
                reportError(null, e, ErrorManager.WRITE_FAILURE); // a PrintStream never throws; kept for the type
            }
            stdout.flush();
            out.reset();
        }
    }

    /** Writes anything still buffered, after a write under way. */
    @Override
    public void flush() {
        lock.lock();
        try {
            while (writing) {
                idle.awaitUninterruptibly();
            }
            writing = true;
        } finally {
            lock.unlock();
        }
        writeBatches();
    }

    @Override
    public void close() {
        flush();
    }

    private static Level level(String name) {
        if (name == null) {
            return Level.ALL;
        }
        try {
            return Level.parse(name.strip());
        } catch (IllegalArgumentException e) {
            return Level.ALL;
        }
    }

    private static Formatter formatter(String className) {
        if (className != null) {
            try {
                return (Formatter) ClassLoader.getSystemClassLoader()
                        .loadClass(className.strip())
                        .getDeclaredConstructor()
                        .newInstance();
            } catch (ReflectiveOperationException | ClassCastException e) {
                // fall through to the default, as ConsoleHandler does with a formatter it cannot make
            }
        }
        return new ConsoleLineFormatter();
    }
}
