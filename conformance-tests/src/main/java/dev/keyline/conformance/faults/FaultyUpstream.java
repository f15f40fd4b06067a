package dev.keyline.conformance.faults;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * An Anthropic-compatible upstream that misbehaves on purpose, on raw sockets so every fault is exact to the byte:
 * resets, silence, slow first bytes, cut, stalled and malformed streams. Each deployment's {@code api_base} names
 * its behaviour as the first path segment ({@code http://127.0.0.1:PORT/<behaviour>}), so one server plays every
 * upstream of a run, and it counts calls and notes when each behaviour's connections were closed.
 */
public final class FaultyUpstream implements AutoCloseable {

    /** How long a silent or stalled upstream holds a connection at most, so a run always ends. */
    static final Duration HOLD_LIMIT = Duration.ofSeconds(90);

    /** What one behaviour does with a request. */
    @FunctionalInterface
    public interface Behaviour {
        void answer(Exchange exchange) throws IOException, InterruptedException;
    }

    private final ServerSocket server;
    private final Map<String, Behaviour> behaviours = new ConcurrentHashMap<>();
    private final Map<String, List<Exchange>> exchanges = new ConcurrentHashMap<>();
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();

    public FaultyUpstream() throws IOException {
        server = new ServerSocket(0, 200, InetAddress.getLoopbackAddress());
        threads.submit(this::accept);
    }

    /** @return the base URL for a deployment that behaves as {@code name} */
    public String base(String name) {
        return "http://127.0.0.1:" + server.getLocalPort() + "/" + name;
    }

    public FaultyUpstream on(String name, Behaviour behaviour) {
        behaviours.put(name, behaviour);
        return this;
    }

    /** @return the requests the behaviour has received so far, in order */
    public List<Exchange> exchanges(String name) {
        return List.copyOf(exchanges.getOrDefault(name, List.of()));
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                sockets.add(socket);
                threads.submit(() -> serve(socket));
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void serve(Socket socket) {
        try (socket) {
            socket.setSoTimeout((int) HOLD_LIMIT.toMillis());
            Exchange exchange = Exchange.read(socket);
            if (exchange == null) {
                return;
            }
            String name = exchange.path.replaceFirst("^/", "").split("/", 2)[0];
            exchanges.computeIfAbsent(name, n -> new CopyOnWriteArrayList<>()).add(exchange);
            Behaviour behaviour = behaviours.get(name);
            if (behaviour == null) {
                exchange.json(
                        404,
                        "{\"type\":\"error\",\"error\":{\"type\":\"not_found_error\",\"message\":\"no " + "behaviour '"
                                + name + "'\"}}");
                return;
            }
            behaviour.answer(exchange);
        } catch (IOException | InterruptedException e) {
            // The gateway left or the behaviour broke the connection on purpose.
        } finally {
            sockets.remove(socket);
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket socket : sockets) {
            try {
                socket.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
        threads.shutdownNow();
    }

    /** One request and the means to answer it, well or badly. */
    public static final class Exchange {
        final String path;
        final Map<String, String> headers;
        final String body;
        private final Socket socket;
        private final OutputStream out;
        private volatile long closedAtNanos;

        private Exchange(Socket socket, String path, Map<String, String> headers, String body) throws IOException {
            this.socket = socket;
            this.path = path;
            this.headers = headers;
            this.body = body;
            this.out = socket.getOutputStream();
        }

        static Exchange read(Socket socket) throws IOException {
            InputStream in = socket.getInputStream();
            String head = readHead(in);
            if (head == null) {
                return null;
            }
            String[] lines = head.split("\r\n");
            String path = lines[0].split(" ")[1];
            Map<String, String> headers = new ConcurrentHashMap<>();
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                if (colon > 0) {
                    headers.put(
                            lines[i].substring(0, colon).strip().toLowerCase(Locale.ROOT),
                            lines[i].substring(colon + 1).strip());
                }
            }
            int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
            String body = new String(in.readNBytes(length), StandardCharsets.UTF_8);
            return new Exchange(socket, path, headers, body);
        }

        private static String readHead(InputStream in) throws IOException {
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            int matched = 0;
            byte[] end = {'\r', '\n', '\r', '\n'};
            while (matched < 4) {
                int b = in.read();
                if (b < 0) {
                    return null;
                }
                head.write(b);
                matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
            }
            return head.toString(StandardCharsets.ISO_8859_1);
        }

        public String body() {
            return body;
        }

        public Optional<String> header(String name) {
            return Optional.ofNullable(headers.get(name.toLowerCase(Locale.ROOT)));
        }

        public boolean wantsStream() {
            return body.replace(" ", "").contains("\"stream\":true");
        }

        /** @return when the gateway closed this connection (nanoTime), or 0 while it is open or not yet noticed */
        public long closedAtNanos() {
            return closedAtNanos;
        }

        public void json(int status, String json) throws IOException {
            json(status, json, Map.of());
        }

        public void json(int status, String json, Map<String, String> extraHeaders) throws IOException {
            byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
            StringBuilder head = new StringBuilder("HTTP/1.1 " + status + " " + reason(status) + "\r\n");
            head.append("content-type: application/json\r\n");
            head.append("content-length: ").append(bytes.length).append("\r\n");
            head.append("connection: close\r\n");
            extraHeaders.forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
            head.append("\r\n");
            out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
            out.write(bytes);
            out.flush();
        }

        /** Starts a chunked event stream. */
        public void startStream() throws IOException {
            out.write(("HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ntransfer-encoding: chunked\r\n"
                            + "connection: close\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
        }

        /** Writes one event as it is given (the data is not checked: faults are the point). */
        public void event(String type, String data) throws IOException {
            chunk("event: " + type + "\ndata: " + data + "\n\n");
        }

        public void chunk(String text) throws IOException {
            byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
            try {
                out.write((Integer.toHexString(bytes.length) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
                out.write(bytes);
                out.write("\r\n".getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
            } catch (SocketException e) {
                if (closedAtNanos == 0) {
                    closedAtNanos = System.nanoTime();
                }
                throw e;
            }
        }

        /** Ends the body cleanly (the last chunk). */
        public void endStream() throws IOException {
            out.write("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
        }

        /**
         * Notes the moment the gateway closes this connection, as it happens: a read that returns the end of the
         * stream. (A write only fails a packet or two after the close, so it would measure the write cadence.)
         */
        public void watchForClose() {
            Thread.ofVirtual().name("faulty-upstream-close-watch").start(() -> {
                try {
                    while (socket.getInputStream().read() >= 0) {
                        // the gateway sends nothing after its request
                    }
                } catch (IOException e) {
                    // reset or closed: closed either way
                }
                if (closedAtNanos == 0) {
                    closedAtNanos = System.nanoTime();
                }
            });
        }

        /** Sends a TCP reset instead of an answer. */
        public void reset() throws IOException {
            socket.setSoLinger(true, 0);
            socket.close();
        }

        /** Holds the connection open without a byte until the gateway leaves or the limit passes. */
        public void silence() throws IOException {
            try {
                while (socket.getInputStream().read() >= 0) {
                    // the gateway sends nothing more; a read returns only when it closes
                }
            } catch (IOException e) {
                // timed out at the hold limit, or reset by the gateway
            }
            closedAtNanos = System.nanoTime();
        }

        private static String reason(int status) {
            return switch (status) {
                case 200 -> "OK";
                case 400 -> "Bad Request";
                case 404 -> "Not Found";
                case 429 -> "Too Many Requests";
                case 500 -> "Internal Server Error";
                case 503 -> "Service Unavailable";
                default -> "Status";
            };
        }
    }
}
