package dev.keyline.conformance.kit;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import java.util.List;
import java.util.Optional;

/**
 * What one client request produced, as seen on the wire: the answer (a folded stream for streamed requests), and
 * every hop the fakes journaled for it, in order, each with the deployment that received it.
 */
record Observation(
        KitCase kitCase,
        int status,
        JsonNode answer,
        List<Hop> hops,
        int searches,
        int decoyHits,
        Optional<Observation> twin,
        Optional<Observation> nextTurn,
        boolean webSearch) {

    /** @return this observation with the unstreamed twin and the next turn observed beside it */
    Observation with(Optional<Observation> twin, Optional<Observation> nextTurn) {
        return new Observation(kitCase, status, answer, hops, searches, decoyHits, twin, nextTurn, webSearch);
    }

    /** @return the hops the fakes answered (a failed attempt the gateway retried is not part of the loop) */
    List<Hop> answeredHops() {
        return hops.stream().filter(Hop::answered).toList();
    }

    /** A request that reached a fake deployment. */
    record Hop(FakeDeployment deployment, ServeEvent event) {
        String header(String name) {
            return event.getRequest().getHeader(name);
        }

        /**
         * @return the key the hop presented in its deployment's scheme ({@code x-api-key} or Bearer; for a cloud, the
         *         deployment's own key when the signature or token is its own), or null
         */
        String presentedKey() {
            return deployment.presentedKey(event.getRequest());
        }

        boolean answered() {
            return event.getResponse().getStatus() == 200;
        }
    }
}
