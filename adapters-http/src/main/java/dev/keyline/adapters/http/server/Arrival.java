package dev.keyline.adapters.http.server;

import io.helidon.webserver.http.ServerRequest;
import java.util.Objects;

/**
 * A request as a front door took it in: when it arrived, and the journal its way through the gateway is written in.
 *
 * @param journal      the request's journal, under the id {@link RequestIds} gave it
 * @param startedNanos when it arrived, by {@link System#nanoTime()}
 */
public record Arrival(InMemoryRequestJournal journal, long startedNanos) {
    public Arrival {
        Objects.requireNonNull(journal, "'journal' must not be null");
    }

    /** @return the arrival of {@code req}, now */
    public static Arrival of(ServerRequest req) {
        long started = System.nanoTime();
        return new Arrival(new InMemoryRequestJournal(RequestIds.of(req)), started);
    }
}
