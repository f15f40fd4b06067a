package dev.keyline.adapters.frontdoors.server;

import dev.keyline.ports.in.Hop;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A request the gateway is done with, as its journal tells it: for the status page and the traces.
 *
 * @param id         its request id
 * @param at         when it arrived
 * @param route      e.g. {@code POST /v1/messages}
 * @param surface    the front door ({@code messages}, {@code chat_completions}, {@code count_tokens})
 * @param modelGroup the configured group it asked for, or {@code unknown}
 * @param deployment the deployment that answered, or {@code none}
 * @param mode       {@code json}, {@code sse completed}, … as the access line has it
 * @param status     the status the client got
 * @param elapsed    its whole time in the gateway
 * @param added      the time the gateway itself added
 * @param hops       its upstream calls
 * @param searches   the searches the gateway ran for it
 * @param trace      its place in a trace
 * @param hopSpans   the span id each upstream call sent upstream, in the order of {@code hops}
 */
public record FinishedRequest(
        String id,
        Instant at,
        String route,
        String surface,
        String modelGroup,
        String deployment,
        String mode,
        int status,
        Duration elapsed,
        Duration added,
        List<Hop> hops,
        List<InMemoryRequestJournal.Search> searches,
        TraceContext trace,
        List<String> hopSpans) {
    public FinishedRequest {
        Objects.requireNonNull(id, "'id' must not be null");
        Objects.requireNonNull(at, "'at' must not be null");
        Objects.requireNonNull(route, "'route' must not be null");
        Objects.requireNonNull(surface, "'surface' must not be null");
        Objects.requireNonNull(modelGroup, "'modelGroup' must not be null");
        Objects.requireNonNull(deployment, "'deployment' must not be null");
        Objects.requireNonNull(mode, "'mode' must not be null");
        Objects.requireNonNull(elapsed, "'elapsed' must not be null");
        Objects.requireNonNull(added, "'added' must not be null");
        hops = List.copyOf(hops);
        searches = List.copyOf(searches);
        Objects.requireNonNull(trace, "'trace' must not be null");
        hopSpans = List.copyOf(hopSpans);
    }

    /** Where finished requests go besides the log and the metrics: the status page, the traces. */
    public interface Listener {
        void finished(FinishedRequest request);
    }
}
