package dev.keyline.adapters.frontdoors.server;

import io.helidon.common.buffers.BufferData;
import io.helidon.common.buffers.DataReader;
import io.helidon.common.buffers.DataWriter;
import io.helidon.common.socket.HelidonSocket;
import io.helidon.common.socket.PeerInfo;
import io.helidon.webserver.ConnectionContext;
import io.helidon.webserver.ListenerContext;
import io.helidon.webserver.ProxyProtocolData;
import io.helidon.webserver.Router;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.ExecutorService;

/**
 * One connection as {@link ProxyFriendlyHttp1Selector} serves it. Reads pass through, except that an HTTP/1.0 request
 * line is read as HTTP/1.1 (the same length, changed in place; a Host header added when it has none) and marks the
 * connection to close after its answer.
 * Writes pass through, and an answer whose head says {@code Connection: close} marks it too. Once an answer has
 * started on a marked connection, the next read is the end of input: Helidon then ends the connection and closes the
 * socket, after the answer, as the client asked.
 */
final class ClosingConnectionContext implements ConnectionContext {

    private static final byte[] HTTP_1 = ascii("HTTP/1.");
    private static final byte[] HTTP_10_END = ascii(" HTTP/1.0\r");
    private static final byte[] CONNECTION_CLOSE = ascii("\r\nconnection: close\r\n");
    /** Where an answer's status code starts, after {@code HTTP/1.1 }. */
    private static final int STATUS_AT = 9;
    /** The most of an answer's head searched for {@code Connection: close}; Helidon writes the head in one buffer. */
    private static final int HEAD_SCAN_LIMIT = 16 * 1024;

    private final ConnectionContext ctx;
    private final DataReader reader;
    private final DataWriter writer;
    private boolean firstLineRead;
    private volatile boolean closeAfterAnswer;
    private volatile boolean answered;

    ClosingConnectionContext(ConnectionContext ctx) {
        this.ctx = ctx;
        this.reader = DataReader.create(this::pull);
        this.writer = new Writer(ctx.dataWriter());
    }

    /** @return the next bytes the client sent, or {@code null} (the end of input) once a closing answer has begun */
    private byte[] pull() {
        if (closeAfterAnswer && answered) {
            return null;
        }
        DataReader buffered = ctx.dataReader();
        byte[] bytes;
        if (buffered.available() > 0) {
            bytes = buffered.readBytes(buffered.available()); // what Helidon read before this connection was chosen
        } else {
            // Straight from the socket: each read is already a fresh array of what arrived, and copying it again
            // through the connection's reader cost one more array per read (1.2 MB more for a 1 MB request).
            bytes = ctx.serverSocket().get();
            if (bytes == null) {
                return null; // the client closed its side
            }
        }
        return firstLineRead ? bytes : readFirstLine(bytes);
    }

    /**
     * HTTP/1.0 is served as HTTP/1.1 with the connection closed after the answer, as HTTP/1.0 itself does. HTTP/1.1
     * requires a {@code Host} header that HTTP/1.0 does not (HAProxy's default health check sends none), so a request
     * without one, whose head arrived whole, gets {@code Host: localhost}; nothing in Keyline reads the host.
     *
     * @return the bytes to hand Helidon
     */
    private byte[] readFirstLine(byte[] bytes) {
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == '\n') {
                firstLineRead = true;
                int version = i - HTTP_10_END.length;
                if (version >= 0 && Arrays.equals(bytes, version, i, HTTP_10_END, 0, HTTP_10_END.length)) {
                    bytes[i - 2] = '1';
                    closeAfterAnswer = true;
                    return lacksHost(bytes, i + 1) ? withHost(bytes, i + 1) : bytes;
                }
                return bytes;
            }
        }
        return bytes;
    }

    /** @return whether the head that starts at {@code from} ends in these bytes and has no Host header */
    private static boolean lacksHost(byte[] bytes, int from) {
        String head = new String(bytes, from, bytes.length - from, StandardCharsets.ISO_8859_1);
        int end = head.startsWith("\r\n") ? 0 : head.indexOf("\r\n\r\n");
        if (end < 0) {
            return false;
        }
        return head.substring(0, end).lines().noneMatch(line -> line.regionMatches(true, 0, "host:", 0, 5));
    }

    private static byte[] withHost(byte[] bytes, int at) {
        byte[] host = ascii("Host: localhost\r\n");
        byte[] result = new byte[bytes.length + host.length];
        System.arraycopy(bytes, 0, result, 0, at);
        System.arraycopy(host, 0, result, at, host.length);
        System.arraycopy(bytes, at, result, at + host.length, bytes.length - at);
        return result;
    }

    /** Notes an answer's head: that an answer has begun, and whether it closes the connection. */
    private void written(BufferData data) {
        // A 100 Continue is not the answer: the request's body is still to be read.
        if (!startsWith(data, HTTP_1) || data.available() > STATUS_AT && data.get(STATUS_AT) == '1') {
            return;
        }
        answered = true;
        if (!closeAfterAnswer && containsIgnoringCase(data, CONNECTION_CLOSE)) {
            closeAfterAnswer = true;
        }
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    private static boolean startsWith(BufferData data, byte[] prefix) {
        if (data.available() < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (data.get(i) != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    /**
     * Whether the head at the start of {@code data} holds {@code needle} (lower case ASCII, starting with CR LF). Only
     * the head is read, up to the blank line that ends it: a header cannot be in the body, and the body of a JSON
     * answer sent in the same buffer was most of what this used to scan.
     */
    private static boolean containsIgnoringCase(BufferData data, byte[] needle) {
        int available = Math.min(data.available(), HEAD_SCAN_LIMIT);
        for (int at = 0; at + 1 < available; at++) {
            if (data.get(at) != '\r' || data.get(at + 1) != '\n') {
                continue;
            }
            if (at + 3 < available && data.get(at + 2) == '\r' && data.get(at + 3) == '\n') {
                return false; // the end of the head
            }
            if (matchesAt(data, at, needle, available)) {
                return true;
            }
        }
        return false;
    }

    private static boolean matchesAt(BufferData data, int at, byte[] needle, int available) {
        if (at + needle.length > available) {
            return false;
        }
        for (int i = 0; i < needle.length; i++) {
            int b = data.get(at + i);
            if ((b >= 'A' && b <= 'Z' ? b + 32 : b) != needle[i]) {
                return false;
            }
        }
        return true;
    }

    @Override
    public DataReader dataReader() {
        return reader;
    }

    @Override
    public DataWriter dataWriter() {
        return writer;
    }

    @Override
    public ListenerContext listenerContext() {
        return ctx.listenerContext();
    }

    @Override
    public ExecutorService executor() {
        return ctx.executor();
    }

    @Override
    public Router router() {
        return ctx.router();
    }

    @Override
    public Optional<ProxyProtocolData> proxyProtocolData() {
        return ctx.proxyProtocolData();
    }

    @Override
    public HelidonSocket serverSocket() {
        return ctx.serverSocket();
    }

    @Override
    public PeerInfo remotePeer() {
        return ctx.remotePeer();
    }

    @Override
    public PeerInfo localPeer() {
        return ctx.localPeer();
    }

    @Override
    public boolean isSecure() {
        return ctx.isSecure();
    }

    @Override
    public String socketId() {
        return ctx.socketId();
    }

    @Override
    public String childSocketId() {
        return ctx.childSocketId();
    }

    /** The socket's writer, noting each answer's head on its way out. */
    private final class Writer implements DataWriter {

        private final DataWriter socket;

        Writer(DataWriter socket) {
            this.socket = socket;
        }

        @Override
        public void write(BufferData... buffers) {
            if (buffers.length > 0) {
                written(buffers[0]);
            }
            socket.write(buffers);
        }

        @Override
        public void write(BufferData buffer) {
            written(buffer);
            socket.write(buffer);
        }

        @Override
        public void writeNow(BufferData... buffers) {
            if (buffers.length > 0) {
                written(buffers[0]);
            }
            socket.writeNow(buffers);
        }

        @Override
        public void writeNow(BufferData buffer) {
            written(buffer);
            socket.writeNow(buffer);
        }

        @Override
        public void flush() {
            socket.flush();
        }

        @Override
        public void close() {
            socket.close();
        }
    }
}
