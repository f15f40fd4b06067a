package dev.keyline.app;

import dev.keyline.app.cli.ServeOptions;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

/**
 * {@code keyline health [--port N] [--host ADDR]}: asks a running gateway whether it is ready
 * ({@code GET /health/readiness}) and exits 0 when it is, 1 when not. A container's health check runs it, so the image
 * needs nothing but the JRE and the jar.
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
        String url = "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port + "/health/readiness";
        try (HttpClient http = HttpClient.newBuilder().connectTimeout(WAIT).build()) {
            HttpResponse<String> response = http.send(
                    HttpRequest.newBuilder(URI.create(url)).timeout(WAIT).build(),
                    HttpResponse.BodyHandlers.ofString());
            out.println(response.statusCode() + " " + response.body());
            return response.statusCode() == 200 ? 0 : 1;
        } catch (IOException | IllegalArgumentException e) {
            err.println("keyline health: " + url + " did not answer ("
                    + e.getClass().getSimpleName() + ")");
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        }
    }
}
