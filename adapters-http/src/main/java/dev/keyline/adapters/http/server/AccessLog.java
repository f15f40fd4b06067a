package dev.keyline.adapters.http.server;

import java.lang.System.Logger.Level;
import java.util.Optional;

/**
 * The access line of a front door: one per request, built by hand as it is written for every request, with the
 * client's model name made printable (a line break in it must not start a forged log line).
 */
public final class AccessLog {

    private final System.Logger log;
    private final String route;

    /**
     * @param log   the front door's own logger
     * @param route e.g. {@code POST /v1/messages}
     */
    public AccessLog(System.Logger log, String route) {
        this.log = log;
        this.route = route;
    }

    public void line(String model, Optional<String> deployment, String mode, int status, long startedNanos) {
        if (log.isLoggable(Level.INFO)) {
            long tenths = (System.nanoTime() - startedNanos + 50_000) / 100_000;
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
