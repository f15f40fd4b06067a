package dev.keyline.app.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.Test;

class ConsoleLineFormatterTest {

    private final ConsoleLineFormatter formatter = new ConsoleLineFormatter();

    @Test
    void aLine_hasLocalTimeLevelLoggerAndMessage() {
        Instant at = LocalDateTime.parse("2026-11-24T10:41:12.966")
                .atZone(ZoneId.systemDefault())
                .toInstant();
        LogRecord record = new LogRecord(Level.INFO, "POST /v1/messages status=200");
        record.setInstant(at);
        record.setLoggerName("dev.keyline.adapters.frontdoors.server.MessagesHttpService");

        assertEquals(
                "2026-11-24T10:41:12.966 INFO dev.keyline.adapters.frontdoors.server.MessagesHttpService: "
                        + "POST /v1/messages status=200" + System.lineSeparator(),
                formatter.format(record));
    }

    @Test
    void parameters_areFilledIn_andAThrowableFollowsOnItsOwnLines() {
        LogRecord record = new LogRecord(Level.WARNING, "engine {0} failed");
        record.setParameters(new Object[] {"searxng"});
        record.setLoggerName("search");
        record.setThrown(new IllegalStateException("boom"));

        String line = formatter.format(record);

        assertTrue(
                line.contains(" WARNING search: engine searxng failed" + System.lineSeparator()
                        + "java.lang.IllegalStateException: boom"),
                line);
        assertTrue(line.endsWith(System.lineSeparator()), line);
    }
}
