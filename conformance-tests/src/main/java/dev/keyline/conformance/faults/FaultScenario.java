package dev.keyline.conformance.faults;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One fault, what the gateway is configured with to meet it, and how the client's experience is judged.
 *
 * @param id          a short stable name, e.g. {@code silent-upstream}
 * @param fault       what the upstream does, in words
 * @param deployments the deployments this scenario adds to the gateway's configuration
 * @param fallbacks   {@code router_settings.fallbacks} entries for its groups
 * @param contextWindowFallbacks {@code router_settings.context_window_fallbacks} entries
 * @param setup       teaches the faulty upstream its behaviours
 * @param play        sends the requests and judges what came back
 */
record FaultScenario(
        String id,
        String fault,
        List<Deploy> deployments,
        Map<String, List<String>> fallbacks,
        Map<String, List<String>> contextWindowFallbacks,
        Setup setup,
        Play play) {

    FaultScenario {
        Objects.requireNonNull(id, "'id' must not be null");
        deployments = List.copyOf(deployments);
        fallbacks = Map.copyOf(fallbacks);
        contextWindowFallbacks = Map.copyOf(contextWindowFallbacks);
    }

    /**
     * A deployment played by one behaviour of the faulty upstream; the behaviour's name is also its id.
     *
     * @param settings extra {@code litellm_params} ({@code timeout}, {@code stream_timeout}, {@code cooldown_time})
     */
    record Deploy(String group, String behaviour, Map<String, String> settings) {
        Deploy(String group, String behaviour) {
            this(group, behaviour, Map.of());
        }
    }

    @FunctionalInterface
    interface Setup {
        void teach(FaultyUpstream upstream, Tempo tempo);
    }

    @FunctionalInterface
    interface Play {
        Verdict play(Stage stage) throws Exception;
    }

    /**
     * How long the timed faults last: short in the test suite, as described in the full run.
     *
     * @param firstByteSeconds the {@code stream_timeout} of deployments that go silent
     * @param slowFirstByteMs  how late the slow upstream sends its first byte
     * @param stallSeconds     the {@code timeout} of deployments whose streams stall
     * @param outageSeconds    how long the outage lasts
     */
    record Tempo(double firstByteSeconds, long slowFirstByteMs, double stallSeconds, long outageSeconds) {
        static Tempo quick() {
            return new Tempo(1, 2_500, 1.5, 4);
        }

        static Tempo full() {
            return new Tempo(2, 20_000, 5, 60);
        }
    }
}
