package dev.keyline.adapters.http.server;

import dev.keyline.ports.out.Telemetry;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.Optional;

/**
 * The access line of a front door, and its count in the metrics: one per request, built by hand as it is written for
 * every request, with the client's model name made printable (a line break in it must not start a forged log line).
 */
public final class AccessLog {

    private final System.Logger log;
    private final String route;
    private final String surface;
    private final Telemetry telemetry;

    /**
     * @param log       the front door's own logger
     * @param route     e.g. {@code POST /v1/messages}
     * @param surface   the front door's name in metrics, e.g. {@code messages}
     * @param telemetry where each request is counted too
     */
    public AccessLog(System.Logger log, String route, String surface, Telemetry telemetry) {
        this.log = log;
        this.route = route;
        this.surface = surface;
        this.telemetry = telemetry;
    }

    /** @param mode {@code json}, {@code sse …}, {@code count …} (a token count), or {@code -} */
    public void line(String model, Optional<String> deployment, String mode, int status, long startedNanos) {
        long elapsed = System.nanoTime() - startedNanos;
        telemetry.request(
                mode.startsWith("count") ? "count_tokens" : surface,
                model,
                deployment.orElse("none"),
                status,
                Duration.ofNanos(elapsed));
        if (log.isLoggable(Level.INFO)) {
            long tenths = (elapsed + 50_000) / 100_000;
            log.log(
                    Level.INFO,
                    route + " model=" + printable(model) + " deployment=" + deployment.orElse("-") + " mode=" + mode
                            + " status=" + status + " time=" + tenths / 10 + "." + tenths % 10 + " ms");
        }
    }

    private static String printable(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (Character.isISOControl(text.charAt(i))) {
                StringBuilder clean = new StringBuilder(text.length());
                text.chars().forEach(c -> clean.append(Character.isISOControl(c) ? '?' : (char) c));
                return clean.toString();
            }
        }
        return text;
    }
}
