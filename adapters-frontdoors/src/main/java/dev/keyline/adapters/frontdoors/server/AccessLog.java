package dev.keyline.adapters.frontdoors.server;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import dev.keyline.ports.in.GatewayError;
import dev.keyline.ports.in.Hop;
import dev.keyline.ports.in.HopRole;
import dev.keyline.ports.in.KeyAccessUseCase;
import dev.keyline.ports.out.Telemetry;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The end of a front door's request: its access line (or, with JSON logs, one JSON line for the request and one per
 * upstream call), its count in the metrics, and its entry on the status page and in the traces. Lines are built by hand as they are
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
     * @param listeners   where each finished request goes: the status page, the traces when they are on
     * @param modelGroups the configured groups; any other name a client sends is shown as {@code unknown}
     * @param jsonLines   whether requests are logged as JSON lines, one per request and one per upstream call,
     *                    instead of the human access line
     * @param clock       the time a request arrived, for the status page and the traces
     * @param keys        where a virtual key's request is admitted and accounted
     */
    public record Sinks(
            Telemetry telemetry,
            List<FinishedRequest.Listener> listeners,
            Set<String> modelGroups,
            boolean jsonLines,
            InstantSource clock,
            KeyAccessUseCase keys) {
        public Sinks {
            Objects.requireNonNull(telemetry, "'telemetry' must not be null");
            listeners = List.copyOf(listeners);
            modelGroups = Set.copyOf(modelGroups);
            Objects.requireNonNull(clock, "'clock' must not be null");
            Objects.requireNonNull(keys, "'keys' must not be null");
        }

        /** Sinks of a gateway without virtual keys. */
        public Sinks(
                Telemetry telemetry,
                List<FinishedRequest.Listener> listeners,
                Set<String> modelGroups,
                boolean jsonLines,
                InstantSource clock) {
            this(telemetry, listeners, modelGroups, jsonLines, clock, KeyAccessUseCase.NONE);
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

    /**
     * Admits the journal's caller to a model group by its key's grant, before any upstream is called.
     *
     * @return the refusal, or empty when the request may go ahead (its count is released by {@link #line})
     */
    public Optional<GatewayError> admit(InMemoryRequestJournal journal, String model) {
        return switch (sinks.keys().admit(journal.caller(), model)) {
            case KeyAccessUseCase.Access.Granted granted -> {
                journal.onDone(granted.leave());
                yield Optional.empty();
            }
            case KeyAccessUseCase.Access.Refused refused -> Optional.of(new GatewayError.KeyRefused(refused.refusal()));
        };
    }

    /**
     * Accounts a request to its caller's key, once: a JSON answer's door calls this before the answer leaves, so a
     * client that sends its next request at once finds the spend counted (on any replica); {@link #line} does it for
     * the others (a stream's usage is known only when it has ended).
     */
    public void account(InMemoryRequestJournal journal, String model, Optional<String> deployment, int status) {
        if (!journal.markAccounted()) {
            return;
        }
        String group = sinks.modelGroups().contains(model) ? model : "unknown";
        try {
            sinks.keys()
                    .finished(
                            journal.caller(),
                            journal.id().value(),
                            group,
                            deployment.orElse("none"),
                            status,
                            journal.hops(),
                            journal.searches().size());
        } catch (RuntimeException e) {
            // Accounting must not fail the request it accounts; the spend log's own writer reports its outages.
            log.log(Level.WARNING, "request " + journal.id() + " could not be accounted: " + e.getMessage());
        }
    }

    /** @param mode {@code json}, {@code sse …}, {@code count …} (a token count), or {@code -} */
    public void line(
            InMemoryRequestJournal journal, String model, Optional<String> deployment, String mode, int status) {
        long ended = System.nanoTime();
        long elapsed = ended - journal.arrivedNanos();
        boolean counting = mode.startsWith("count");
        String surfaceName = counting ? "count_tokens" : surface;
        // A token count is served by the Messages door's handler, under its own path.
        String routeName = counting ? route + "/count_tokens" : route;
        String group = sinks.modelGroups().contains(model) ? model : "unknown";
        String servedBy = deployment.orElse("none");
        Duration added = journal.added(ended);
        List<Hop> hops = journal.hops();
        List<InMemoryRequestJournal.Search> searches = journal.searches();
        Telemetry telemetry = sinks.telemetry();
        telemetry.request(surfaceName, model, servedBy, status, Duration.ofNanos(elapsed));
        telemetry.added(surfaceName, added);
        if (journal.isLoop() && deployment.isPresent()) {
            int calls = 1
                    + (int) hops.stream()
                            .filter(h -> h.role() == HopRole.FOLLOW_UP)
                            .count();
            telemetry.loop(group, servedBy, calls, searches.size());
        }
        FinishedRequest finished = new FinishedRequest(
                journal.id().value(),
                sinks.clock().instant().minusNanos(elapsed),
                routeName,
                surfaceName,
                group,
                servedBy,
                mode,
                status,
                Duration.ofNanos(elapsed),
                added,
                hops,
                searches,
                journal.trace(),
                journal.hopSpans());
        journal.done();
        if (!counting) {
            account(journal, model, deployment, status);
        }
        for (FinishedRequest.Listener listener : sinks.listeners()) {
            listener.finished(finished);
        }
        if (sinks.jsonLines()) {
            if (JSON.isLoggable(Level.INFO)) {
                for (Hop hop : hops) {
                    JSON.log(Level.INFO, hopLine(journal, surfaceName, hop));
                }
                JSON.log(Level.INFO, requestLine(finished, model));
            }
        } else if (log.isLoggable(Level.INFO)) {
            long tenths = (elapsed + 50_000) / 100_000;
            log.log(
                    Level.INFO,
                    routeName + " request=" + journal.id() + " model=" + printable(model) + " deployment="
                            + deployment.orElse("-") + " mode=" + mode + " status=" + status + " time="
                            + tenths / 10 + "." + tenths % 10 + " ms");
        }
    }

    private static String requestLine(FinishedRequest request, String model) {
        StringBuilder line = new StringBuilder(320);
        line.append("{\"event\":\"request\",\"request_id\":\"")
                .append(request.id())
                .append("\",\"route\":\"")
                .append(request.route())
                .append("\",\"surface\":\"")
                .append(request.surface())
                .append("\",\"model\":\"");
        quote(line, model.length() > 200 ? model.substring(0, 200) : model);
        line.append("\",\"deployment\":\"");
        quote(line, request.deployment());
        line.append("\",\"mode\":\"")
                .append(request.mode())
                .append("\",\"status\":")
                .append(request.status())
                .append(",\"hops\":")
                .append(request.hops().size())
                .append(",\"searches\":")
                .append(request.searches().size())
                .append(",\"time_ms\":");
        millis(line, request.elapsed().toNanos());
        line.append(",\"added_ms\":");
        millis(line, request.added().toNanos());
        return line.append('}').toString();
    }

    private static String hopLine(InMemoryRequestJournal journal, String surfaceName, Hop hop) {
        StringBuilder line = new StringBuilder(320);
        line.append("{\"event\":\"hop\",\"request_id\":\"")
                .append(journal.id())
                .append("\",\"hop\":")
                .append(hop.index())
                .append(",\"role\":\"")
                .append(hop.role().label())
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
