package dev.keyline.adapters.providers.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SseLineReaderTest {

    @Test
    void everyTerminatorTheSseGrammarAllows_endsALine() throws IOException {
        assertEquals(
                List.of("event: a", "data: 1", "", "event: b", "", "data: 2", ""),
                lines("event: a\ndata: 1\n\nevent: b\r\n\r\ndata: 2\r\r", Integer.MAX_VALUE));
    }

    @Test
    void aCarriageReturnAndItsLineFeed_inDifferentReads_makeOneTerminator() throws IOException {
        assertEquals(List.of("data: x", "", "data: y"), lines("data: x\r\n\r\ndata: y\n", 1));
    }

    @Test
    void multiByteCharacters_splitAcrossReads_decodeWhole() throws IOException {
        String text = "data: {\"text\":\"héllo — 世界 🌍\"}";
        for (int chunk = 1; chunk <= 5; chunk++) {
            assertEquals(List.of(text, ""), lines(text + "\n\n", chunk), "reads of " + chunk + " bytes");
        }
    }

    @Test
    void aLineLongerThanTheReadBuffer_comesBackWhole() throws IOException {
        String data = "data: " + "x".repeat(100_000);
        assertEquals(List.of(data, "data: next"), lines(data + "\ndata: next\n", 7_000));
    }

    @Test
    void anUnterminatedLastLine_isReturned_thenTheEnd() throws IOException {
        SseLineReader reader = new SseLineReader(stream("data: cut", Integer.MAX_VALUE));
        assertEquals("data: cut", reader.readLine());
        assertNull(reader.readLine());
        assertNull(reader.readLine());
    }

    @Test
    void skipToEnd_readsTheRestOfTheBody_andGivesUpPastItsLimit() throws IOException {
        SseLineReader shortRest = new SseLineReader(stream("data: a\n" + "z".repeat(100), 10));
        assertEquals("data: a", shortRest.readLine());
        assertTrue(shortRest.skipToEnd(1_000));
        assertNull(shortRest.readLine());

        SseLineReader longRest = new SseLineReader(stream("data: a\n" + "z".repeat(50_000), 4096));
        assertEquals("data: a", longRest.readLine());
        assertFalse(longRest.skipToEnd(10_000));
    }

    /** After the first event's lines, what the same read brought decides whether the next can be read at once. */
    @Test
    void aWholeEventWithData_alreadyRead_isReadyWithoutWaiting() throws IOException {
        assertTrue(afterFirstEvent("event: a\ndata: 1\n\nevent: b\ndata: 2\n\n"));
        assertTrue(afterFirstEvent("data: 1\r\n\r\ndata: 2\r\n\r\n"), "CRLF");
        assertTrue(afterFirstEvent("data: 1\r\rdata\r\r"), "lone CR, a data line with no colon");
        assertFalse(afterFirstEvent("data: 1\n\nevent: b\ndata: 2"), "the second event's blank line has not come");
        assertFalse(afterFirstEvent("data: 1\n\nevent: b\ndata: 2\n"), "its data line ended, the event did not");
        assertFalse(afterFirstEvent("data: 1\n\n: keep-alive\n\n"), "a comment yields no event: next() would wait");
        assertFalse(afterFirstEvent("data: 1\n\ndatum: 2\n\n"), "not a data field");
        assertFalse(afterFirstEvent("data: 1\n\ndata: 2\r"), "a data line, and no blank line yet");
        assertTrue(afterFirstEvent("data: 1\n\ndata: 2\r\r"), "a blank line ended by a CR a LF may follow");
        assertFalse(afterFirstEvent("data: 1\n\n"), "nothing more");
    }

    private static boolean afterFirstEvent(String body) throws IOException {
        SseLineReader reader = new SseLineReader(stream(body, Integer.MAX_VALUE));
        while (!reader.readLine().isEmpty()) {
            // the first event's lines, up to its blank line
        }
        return reader.holdsWholeEvent();
    }

    private static List<String> lines(String body, int bytesPerRead) throws IOException {
        SseLineReader reader = new SseLineReader(stream(body, bytesPerRead));
        List<String> lines = new ArrayList<>();
        for (String line = reader.readLine(); line != null; line = reader.readLine()) {
            lines.add(line);
        }
        return lines;
    }

    /** A body that arrives at most {@code bytesPerRead} bytes per read, as a network stream may. */
    private static InputStream stream(String body, int bytesPerRead) {
        return new FilterInputStream(new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8))) {
            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                return super.read(b, off, Math.min(len, bytesPerRead));
            }
        };
    }
}
