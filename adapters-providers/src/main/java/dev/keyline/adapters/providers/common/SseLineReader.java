package dev.keyline.adapters.providers.common;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * Splits an event-stream body into lines ({@code \n}, {@code \r\n} or a lone {@code \r} ends one, as the SSE
 * grammar says), decoding each line as UTF-8. It works on bytes with one small buffer because a gateway holds
 * thousands of streams open: a {@code BufferedReader} over an {@code InputStreamReader} keeps 8 KB of bytes and
 * 16 KB of chars per stream, and decodes text that is only split and copied.
 */
public final class SseLineReader {

    private static final int READ_SIZE = 2048;
    /** A line buffer grown past this for one long line is dropped afterwards rather than kept for the stream's life. */
    private static final int KEPT_LINE_CAPACITY = 8192;

    private final InputStream in;
    private final byte[] buffer = new byte[READ_SIZE];
    private int position;
    private int limit;
    private byte[] line = new byte[256];
    private int lineLength;
    /** The last line ended with {@code \r}: a {@code \n} that follows belongs to it. */
    private boolean afterCarriageReturn;

    private boolean ended;

    public SseLineReader(InputStream in) {
        this.in = Objects.requireNonNull(in, "'in' must not be null");
    }

    /** @return the next line without its terminator; at the end of the body, the unterminated rest or null */
    public String readLine() throws IOException {
        lineLength = 0;
        while (true) {
            if (position == limit && !fill()) {
                return lineLength > 0 ? takeLine() : null;
            }
            if (afterCarriageReturn) {
                afterCarriageReturn = false;
                if (buffer[position] == '\n') {
                    position++;
                    continue;
                }
            }
            int start = position;
            int end = start;
            while (end < limit && buffer[end] != '\n' && buffer[end] != '\r') {
                end++;
            }
            position = end;
            if (end == limit) {
                append(start, end - start);
                continue;
            }
            afterCarriageReturn = buffer[end] == '\r';
            position++;
            if (lineLength == 0) {
                // The usual case: the whole line is in the buffer, decoded from there without a copy.
                return new String(buffer, start, end - start, StandardCharsets.UTF_8);
            }
            append(start, end - start);
            return takeLine();
        }
    }

    /**
     * Whether the bytes already read, and not yet returned, hold a whole event with data: a {@code data} line and
     * then a blank line. Reading that event then needs no wait. Conservative: a line not read to its end, or a
     * block without data (a comment, say, which yields no event), answers false.
     *
     * @return true when the next event can be read without waiting on the upstream
     */
    public boolean holdsWholeEvent() {
        int at = position;
        if (afterCarriageReturn && at < limit && buffer[at] == '\n') {
            at++;
        }
        boolean data = false;
        while (at < limit) {
            int end = at;
            while (end < limit && buffer[end] != '\n' && buffer[end] != '\r') {
                end++;
            }
            if (end == limit) {
                return false; // a line not read whole yet
            }
            if (end == at) {
                if (data) {
                    return true;
                }
            } else if (isDataLine(at, end)) {
                data = true;
            }
            at = buffer[end] == '\r' && end + 1 < limit && buffer[end + 1] == '\n' ? end + 2 : end + 1;
        }
        return false;
    }

    private boolean isDataLine(int start, int end) {
        int length = end - start;
        return length >= 4
                && buffer[start] == 'd'
                && buffer[start + 1] == 'a'
                && buffer[start + 2] == 't'
                && buffer[start + 3] == 'a'
                && (length == 4 || buffer[start + 4] == ':');
    }

    /**
     * Reads and discards what is left of the body, up to {@code maxBytes}.
     *
     * @return true if the body ended within that many bytes
     */
    public boolean skipToEnd(int maxBytes) throws IOException {
        int skipped = limit - position;
        position = limit;
        while (skipped <= maxBytes) {
            if (!fill()) {
                return true;
            }
            skipped += limit;
            position = limit;
        }
        return false;
    }

    private boolean fill() throws IOException {
        if (ended) {
            return false;
        }
        int read = in.read(buffer, 0, buffer.length);
        if (read < 0) {
            ended = true;
            return false;
        }
        position = 0;
        limit = read;
        return true;
    }

    private void append(int from, int length) {
        if (length == 0) {
            return;
        }
        if (lineLength + length > line.length) {
            line = Arrays.copyOf(line, Math.max(line.length * 2, lineLength + length));
        }
        System.arraycopy(buffer, from, line, lineLength, length);
        lineLength += length;
    }

    private String takeLine() {
        String text = new String(line, 0, lineLength, StandardCharsets.UTF_8);
        if (line.length > KEPT_LINE_CAPACITY) {
            line = new byte[256];
        }
        lineLength = 0;
        return text;
    }
}
