package dev.keyline.app;

import dev.keyline.app.cli.ServeOptions;
import java.io.IOException;
import java.io.PrintStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * {@code keyline health [--port N] [--host ADDR]}: asks a running gateway whether it is ready
 * ({@code GET /health/readiness}) and exits 0 when it is, 1 when not. A container's health check runs it, so the image
 * needs nothing but the JRE and the jar. A gateway that serves HTTPS is asked over TLS when plain HTTP is refused.
 */
final class HealthProbe {

    private static final Duration WAIT = Duration.ofSeconds(3);

    private HealthProbe() {}

    static int run(List<String> args, PrintStream out, PrintStream err) {
        String host = ServeOptions.DEFAULT_HOST;
        int port = ServeOptions.DEFAULT_PORT;
        for (int i = 0; i < args.size(); i++) {
            if (i + 1 >= args.size()) {
                err.println("keyline health: " + args.get(i) + " needs a value");
                return 2;
            }
            String value = args.get(++i);
            switch (args.get(i - 1)) {
                case "--host" -> host = value;
                case "--port" -> {
                    try {
                        port = Integer.parseInt(value);
                    } catch (NumberFormatException e) {
                        err.println("keyline health: --port must be a number, got '" + value + "'");
                        return 2;
                    }
                }
                default -> {
                    err.println("keyline health: unknown option " + args.get(i - 1));
                    return 2;
                }
            }
        }
        String address = (host.contains(":") ? "[" + host + "]" : host) + ":" + port + "/health/readiness";
        try {
            HttpResponse<String> response;
            try (HttpClient http = HttpClient.newBuilder().connectTimeout(WAIT).build()) {
                response = ask(http, "http://" + address);
            } catch (IOException plainRefused) {
                // A gateway serving HTTPS (ssl_certfile_path) answers plain HTTP with a TLS alert: ask it over TLS.
                try (HttpClient https = HttpClient.newBuilder()
                        .connectTimeout(WAIT)
                        .sslContext(anyCertificate())
                        .build()) {
                    response = ask(https, "https://" + address);
                }
            }
            out.println(response.statusCode() + " " + response.body());
            return response.statusCode() == 200 ? 0 : 1;
        } catch (IOException | IllegalArgumentException e) {
            err.println("keyline health: " + address + " did not answer ("
                    + e.getClass().getSimpleName() + ")");
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        }
    }

    private static HttpResponse<String> ask(HttpClient http, String url) throws IOException, InterruptedException {
        return http.send(
                HttpRequest.newBuilder(URI.create(url)).timeout(WAIT).build(), HttpResponse.BodyHandlers.ofString());
    }

    /**
     * The probe asks the gateway on this host whether it is ready: it sends nothing (no key, no content) and reads
     * one status, so the gateway's certificate, whoever signed it and whatever names it carries, is not checked.
     * (An extended trust manager that accepts everything also skips the host name check, which JSSE does in it.)
     */
    private static SSLContext anyCertificate() throws IOException {
        X509ExtendedTrustManager acceptAll = new X509ExtendedTrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String type, Socket socket) {}

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String type, Socket socket) {}

            @Override
            public void checkClientTrusted(X509Certificate[] chain, String type, SSLEngine engine) {}

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String type, SSLEngine engine) {}

            @Override
            public void checkClientTrusted(X509Certificate[] chain, String type) {}

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String type) {}

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        };
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {acceptAll}, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IOException("no TLS in this runtime", e);
        }
    }
}
