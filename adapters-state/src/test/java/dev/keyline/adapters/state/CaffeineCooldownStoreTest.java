package dev.keyline.adapters.state;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.keyline.domain.deployment.DeploymentId;
import dev.keyline.domain.deployment.ModelGroupName;
import dev.keyline.domain.routing.Cooldown;
import dev.keyline.domain.routing.FailureClass;
import dev.keyline.ports.out.CooldownStore;
import dev.keyline.ports.out.CooldownStoreContract;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class CaffeineCooldownStoreTest extends CooldownStoreContract {

    @Override
    protected CooldownStore createStore() {
        return new CaffeineCooldownStore(clock);
    }

    @Test
    void manyVirtualThreads_countEveryFailure_andKeepTheLatestEnd() throws Exception {
        CooldownStore store = createStore();
        DeploymentId id = new DeploymentId("busy");
        int threads = 5_000;

        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < threads; i++) {
                int seconds = 1 + i % 97;
                executor.submit(() -> {
                    store.recordFailure(id, FailureClass.SERVICE_UNAVAILABLE);
                    store.coolDown(new Cooldown(
                            id,
                            new ModelGroupName("g"),
                            clock.instant().plusSeconds(seconds),
                            "overloaded (HTTP 529)"));
                });
            }
            executor.shutdown();
            executor.awaitTermination(30, TimeUnit.SECONDS);
        }

        assertEquals(threads + 1, store.recordFailure(id, FailureClass.SERVICE_UNAVAILABLE));
        assertEquals(
                clock.instant().plusSeconds(97),
                store.activeCooldown(id).orElseThrow().until());
        clock.advance(Duration.ofSeconds(97));
        assertEquals(0, store.activeCooldowns().size());
    }
}
