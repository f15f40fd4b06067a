package dev.keyline.conformance.kit;

import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** What the fakes journaled for one case, whichever door the client used: its hops, its searches, decoy hits. */
final class Journal {

    private Journal() {}

    /** @return every request a deployment received carrying the case's marker, in arrival order */
    static List<Observation.Hop> hops(FakeUpstreams fakes, KitCase kitCase) {
        List<Observation.Hop> hops = new ArrayList<>();
        for (FakeDeployment deployment : fakes.deployments.values()) {
            for (ServeEvent event : deployment.journal()) {
                if (event.getRequest().getBodyAsString().contains(kitCase.marker())) {
                    hops.add(new Observation.Hop(deployment, event));
                }
            }
        }
        hops.sort(Comparator.comparing(h -> h.event().getRequest().getLoggedDate()));
        return hops;
    }

    /** @return the searches the engine answered for the case */
    static int searches(FakeUpstreams fakes, KitCase kitCase) {
        return (int) fakes.search.getAllServeEvents().stream()
                .filter(e -> e.getRequest().getUrl().contains(kitCase.id())
                        || e.getRequest().getBodyAsString().contains(kitCase.id()))
                .filter(e -> e.getResponse().getStatus() == 200)
                .count();
    }

    /** @return the requests for the case that reached the environment's decoy base URL */
    static int decoyHits(FakeUpstreams fakes, KitCase kitCase) {
        return (int) fakes.decoy.getAllServeEvents().stream()
                .filter(e -> e.getRequest().getBodyAsString().contains(kitCase.marker()))
                .count();
    }
}
