package dev.keyline.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keyline.app.config.ConfigLoader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.InstantSource;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What the proxies put in front of a gateway send, on a raw socket: HTTP/1.0 (nginx's proxy_pass default, HAProxy's
 * health check) is answered, and a connection the client asked to close is closed after the answer, not left open.
 */
class ProxyFriendlyHttpTest {

    private static KeylineServer keyline;

    @BeforeAll
    static void start() {
        keyline = KeylineServer.start(
                new ConfigLoader(Map.of()).parse("""
                                model_list:
                                  - model_name: m
                                    litellm_params: {model: anthropic/m, api_base: "http://127.0.0.1:9", api_key: sk-p-1}
                                """, "proxy.yaml"), "127.0.0.1", 0, InstantSource.system());
    }

    @AfterAll
    static void stop() {
        keyline.close();
    }

    @Test
    void anHttp10Request_isAnswered_andTheConnectionClosedAfterIt() throws Exception {
        Exchange exchange = exchange("GET /health/readiness HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n");

        assertTrue(exchange.text().startsWith("HTTP/1.1 200 "), exchange.text());
        assertTrue(exchange.closedByServer(), "the server closed the connection after the answer");
    }

    /** HAProxy's default health check: HTTP/1.0 and no Host header, which HTTP/1.1 would refuse with a 400. */
    @Test
    void anHttp10RequestWithoutHost_isAnsweredToo() throws Exception {
        Exchange exchange = exchange("GET /health/readiness HTTP/1.0\r\n\r\n");
        Exchange withHeaders = exchange("GET /health/liveliness HTTP/1.0\r\nUser-Agent: check\r\n\r\n");

        assertTrue(exchange.text().startsWith("HTTP/1.1 200 "), exchange.text());
        assertTrue(exchange.closedByServer(), "the server closed the connection after the answer");
        assertTrue(withHeaders.text().startsWith("HTTP/1.1 200 "), withHeaders.text());
    }

    @Test
    void anHttp10Post_getsItsAnswer_inTheAnthropicShape() throws Exception {
        String body = "{\"model\":\"nope\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
        Exchange exchange =
                exchange("POST /v1/messages HTTP/1.0\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                        + "Content-Length: " + body.length() + "\r\n\r\n" + body);

        assertTrue(exchange.text().startsWith("HTTP/1.1 404 "), exchange.text());
        assertTrue(exchange.text().contains("\"type\":\"error\""), exchange.text());
        assertTrue(exchange.closedByServer(), "the server closed the connection after the answer");
    }

    @Test
    void connectionClose_onHttp11_closesAfterTheAnswer() throws Exception {
        Exchange exchange = exchange("GET /health/liveliness HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");

        assertTrue(exchange.text().startsWith("HTTP/1.1 200 "), exchange.text());
        assertTrue(exchange.text().toLowerCase(java.util.Locale.ROOT).contains("connection: close"), exchange.text());
        assertTrue(exchange.closedByServer(), "the server closed the connection after the answer");
    }

    @Test
    void aKeptAliveConnection_servesASecondRequest() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", keyline.port())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            for (int i = 0; i < 2; i++) {
                out.write("GET /health/liveliness HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
                        .getBytes(StandardCharsets.US_ASCII));
                out.flush();
                String head = readHead(in);
                assertTrue(head.startsWith("HTTP/1.1 200 "), head);
                int length = Integer.parseInt(head.lines()
                        .filter(l -> l.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:"))
                        .findFirst()
                        .orElseThrow()
                        .substring("content-length:".length())
                        .strip());
                assertEquals(length, in.readNBytes(length).length);
            }
        }
    }

    private record Exchange(String text, boolean closedByServer) {}

    /** Sends {@code request} and reads until the server closes the connection, or 10 s pass. */
    private static Exchange exchange(String request) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", keyline.port())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            ByteArrayOutputStream read = new ByteArrayOutputStream();
            byte[] buffer = new byte[4096];
            try {
                for (int n = socket.getInputStream().read(buffer);
                        n >= 0;
                        n = socket.getInputStream().read(buffer)) {
                    read.write(buffer, 0, n);
                }
                return new Exchange(read.toString(StandardCharsets.UTF_8), true);
            } catch (SocketTimeoutException stillOpen) {
                return new Exchange(read.toString(StandardCharsets.UTF_8), false);
            }
        }
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            head.write(b);
            matched = (b == '\r' || b == '\n') && "\r\n\r\n".charAt(matched) == b ? matched + 1 : 0;
        }
        return head.toString(StandardCharsets.US_ASCII);
    }
}
