package dev.keyline.app.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Isolated;

/** Every line reaches standard output whole and exactly once, however many threads log at once. */
@Isolated("replaces System.out")
class BatchingConsoleHandlerTest {

    @Test
    void aLoneLineIsWrittenAtOnce() {
        String out = capture(handler -> handler.publish(record("alone")));
        assertTrue(out.endsWith("INFO keyline.test: alone" + System.lineSeparator()), out);
    }

    @Test
    void linesFromManyThreadsArriveWholeAndOnce() throws Exception {
        int threads = 64;
        int perThread = 500;
        String out = capture(handler -> {
            try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
                List<Future<?>> done = new java.util.ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    int thread = t;
                    done.add(pool.submit(() -> {
                        for (int i = 0; i < perThread; i++) {
                            handler.publish(record("thread " + thread + " line " + i + " " + "x".repeat(i % 97)));
                        }
                    }));
                }
                for (Future<?> f : done) {
                    f.get();
                }
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
        List<String> lines = out.lines().toList();
        assertEquals(threads * perThread, lines.size());
        Set<String> seen = new HashSet<>();
        for (String line : lines) {
            assertTrue(line.matches(".* INFO keyline\\.test: thread \\d+ line \\d+ x*"), line);
            assertTrue(seen.add(line.substring(line.indexOf("thread"))), "written twice: " + line);
        }
    }

    @Test
    void levelsBelowTheHandlersAreNotWritten() {
        String out = capture(handler -> {
            handler.setLevel(Level.WARNING);
            handler.publish(record("quiet"));
        });
        assertEquals("", out);
    }

    private interface Use {
        void with(BatchingConsoleHandler handler);
    }

    private static String capture(Use use) {
        PrintStream original = System.out;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        try {
            BatchingConsoleHandler handler = new BatchingConsoleHandler();
            use.with(handler);
            handler.close();
        } finally {
            System.setOut(original);
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static LogRecord record(String message) {
        LogRecord record = new LogRecord(Level.INFO, message);
        record.setLoggerName("keyline.test");
        return record;
    }
}
