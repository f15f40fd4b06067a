package dev.keyline.adapters.http.server;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import dev.keyline.adapters.http.status.RecentRequest;
import dev.keyline.adapters.http.status.StatusBoard;
import dev.keyline.ports.in.Hop;
import dev.keyline.ports.in.HopRole;
import dev.keyline.ports.out.Telemetry;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The end of a front door's request: its access line (or, with JSON logs, one JSON line for the request and one per
 * upstream call), its count in the metrics, and its entry on the status page. Lines are built by hand as they are
 * written for every request; the client's model name is made printable (a line break in it must not start a forged
 * log line) and never a key or message content is written.
 */
public final class AccessLog {

    /** The logger JSON request and hop lines go to; the JSON log format merges their fields into the line. */
    public static final String JSON_LOGGER = "keyline.requests";

    /**
     * Where finished requests are reported.
     *
     * @param telemetry   the metrics
     * @param board       the status page's memory
     * @param modelGroups the configured groups; any other name a client sends is shown as {@code unknown}
     * @param jsonLines   whether requests are logged as JSON lines, one per request and one per upstream call,
     *                    instead of the human access line
     * @param clock       the time a request arrived, for the status page
     */
    public record Sinks(
            Telemetry telemetry, StatusBoard board, Set<String> modelGroups, boolean jsonLines, InstantSource clock) {
        public Sinks {
            Objects.requireNonNull(telemetry, "'telemetry' must not be null");
            Objects.requireNonNull(board, "'board' must not be null");
            modelGroups = Set.copyOf(modelGroups);
            Objects.requireNonNull(clock, "'clock' must not be null");
        }
    }

    private static final System.Logger JSON = System.getLogger(JSON_LOGGER);

    private final System.Logger log;
    private final String route;
    private final String surface;
    private final Sinks sinks;

    /**
     * @param log     the front door's own logger, for the human access line
     * @param route   e.g. {@code POST /v1/messages}
     * @param surface the front door's name in metrics, e.g. {@code messages}
     * @param sinks   where each request is reported
     */
    public AccessLog(System.Logger log, String route, String surface, Sinks sinks) {
        this.log = log;
        this.route = route;
        this.surface = surface;
        this.sinks = Objects.requireNonNull(sinks, "'sinks' must not be null");
    }

    /** @return the telemetry requests are counted in, for the front door's stream gauge */
    public Telemetry telemetry() {
        return sinks.telemetry();
    }

    /** @param mode {@code json}, {@code sse …}, {@code count …} (a token count), or {@code -} */
    public void line(Arrival arrival, String model, Optional<String> deployment, String mode, int status) {
        InMemoryRequestJournal journal = arrival.journal();
        long startedNanos = arrival.startedNanos();
        long ended = System.nanoTime();
        long elapsed = ended - startedNanos;
        String surfaceName = mode.startsWith("count") ? "count_tokens" : surface;
        String group = sinks.modelGroups().contains(model) ? model : "unknown";
        String servedBy = deployment.orElse("none");
        Duration added = journal.added(startedNanos, ended);
        List<Hop> hops = journal.hops();
        Telemetry telemetry = sinks.telemetry();
        telemetry.request(surfaceName, model, servedBy, status, Duration.ofNanos(elapsed));
        telemetry.added(surfaceName, added);
        if (journal.isLoop() && deployment.isPresent()) {
            int calls = 1
                    + (int) hops.stream()
                            .filter(h -> h.role() == HopRole.FOLLOW_UP)
                            .count();
            telemetry.loop(group, servedBy, calls, journal.searches());
        }
        sinks.board()
                .finished(new RecentRequest(
                        journal.id().value(),
                        sinks.clock().instant().minusNanos(elapsed),
                        surfaceName,
                        group,
                        servedBy,
                        mode,
                        status,
                        Duration.ofNanos(elapsed),
                        added,
                        hops));
        if (sinks.jsonLines()) {
            if (JSON.isLoggable(Level.INFO)) {
                for (Hop hop : hops) {
                    JSON.log(Level.INFO, hopLine(journal, surfaceName, hop));
                }
                JSON.log(
                        Level.INFO,
                        requestLine(journal, surfaceName, model, servedBy, mode, status, elapsed, added, hops.size()));
            }
        } else if (log.isLoggable(Level.INFO)) {
            long tenths = (elapsed + 50_000) / 100_000;
            log.log(
                    Level.INFO,
                    route + " request=" + journal.id() + " model=" + printable(model) + " deployment="
                            + deployment.orElse("-") + " mode=" + mode + " status=" + status + " time="
                            + tenths / 10 + "." + tenths % 10 + " ms");
        }
    }

    private String requestLine(
            InMemoryRequestJournal journal,
            String surfaceName,
            String model,
            String servedBy,
            String mode,
            int status,
            long elapsed,
            Duration added,
            int hops) {
        StringBuilder line = new StringBuilder(320);
        line.append("{\"event\":\"request\",\"request_id\":\"")
                .append(journal.id())
                .append("\",\"route\":\"")
                .append(route)
                .append("\",\"surface\":\"")
                .append(surfaceName)
                .append("\",\"model\":\"");
        quote(line, model.length() > 200 ? model.substring(0, 200) : model);
        line.append("\",\"deployment\":\"");
        quote(line, servedBy);
        line.append("\",\"mode\":\"")
                .append(mode)
                .append("\",\"status\":")
                .append(status)
                .append(",\"hops\":")
                .append(hops)
                .append(",\"searches\":")
                .append(journal.searches())
                .append(",\"time_ms\":");
        millis(line, elapsed);
        line.append(",\"added_ms\":");
        millis(line, added.toNanos());
        return line.append('}').toString();
    }

    private static String hopLine(InMemoryRequestJournal journal, String surfaceName, Hop hop) {
        StringBuilder line = new StringBuilder(320);
        line.append("{\"event\":\"hop\",\"request_id\":\"")
                .append(journal.id())
                .append("\",\"hop\":")
                .append(hop.index())
                .append(",\"role\":\"")
                .append(hop.role().name().toLowerCase(Locale.ROOT))
                .append("\",\"surface\":\"")
                .append(surfaceName)
                .append("\",\"model_group\":\"");
        quote(line, hop.modelGroup());
        line.append("\",\"deployment\":\"");
        quote(line, hop.deployment());
        line.append("\",\"outcome\":\"")
                .append(hop.outcome())
                .append("\",\"status\":")
                .append(hop.status())
                .append(",\"upstream_ms\":");
        millis(line, hop.upstream().toNanos());
        line.append(",\"searches\":")
                .append(hop.searches())
                .append(",\"input_tokens\":")
                .append(hop.inputTokens())
                .append(",\"output_tokens\":")
                .append(hop.outputTokens());
        hop.upstreamRequestId().ifPresent(id -> {
            line.append(",\"upstream_request_id\":\"");
            quote(line, id.length() > 200 ? id.substring(0, 200) : id);
            line.append('"');
        });
        return line.append('}').toString();
    }

    private static void quote(StringBuilder line, String text) {
        JsonStringEncoder.getInstance().quoteAsString(text, line);
    }

    /** Milliseconds with three decimals, from nanoseconds. */
    private static void millis(StringBuilder line, long nanos) {
        long micros = (nanos + 500) / 1000;
        line.append(micros / 1000).append('.');
        long fraction = micros % 1000;
        if (fraction < 100) {
            line.append(fraction < 10 ? "00" : "0");
        }
        line.append(fraction);
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
