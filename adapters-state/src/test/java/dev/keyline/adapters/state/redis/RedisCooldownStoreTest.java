package dev.keyline.adapters.state.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.keyline.adapters.state.testing.LocalRedis;
import dev.keyline.domain.deployment.DeploymentId;
import dev.keyline.domain.deployment.ModelGroupName;
import dev.keyline.domain.routing.Cooldown;
import dev.keyline.ports.out.CooldownStore;
import dev.keyline.ports.out.CooldownStoreContract;
import java.time.Duration;
import java.time.InstantSource;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.UnifiedJedis;

/** The cooldown store contract, and what a shared store adds, against a real redis-server. */
class RedisCooldownStoreTest extends CooldownStoreContract {

    private static LocalRedis server;
    private static UnifiedJedis redis;

    @BeforeAll
    static void connect() {
        assumeTrue(LocalRedis.binary().isPresent(), LocalRedis.MISSING);
        server = LocalRedis.shared();
        redis = RedisClient.create("127.0.0.1", server.port());
    }

    @AfterAll
    static void disconnect() {
        if (redis != null) {
            redis.close();
        }
    }

    @Override
    protected CooldownStore createStore() {
        return new RedisCooldownStore(redis, freshKeys(), clock);
    }

    static RedisKeys freshKeys() {
        return new RedisKeys("test-" + UUID.randomUUID());
    }

    @Test
    void aCooldownsKey_expiresInRedisAtItsEnd() {
        RedisKeys keys = freshKeys();
        InstantSource now = InstantSource.system();
        new RedisCooldownStore(redis, keys, now)
                .coolDown(new Cooldown(
                        new DeploymentId("a"),
                        new ModelGroupName("g"),
                        now.instant().plusSeconds(30),
                        "overloaded"));

        long ttl = redis.pttl(keys.cooldown(new DeploymentId("a")));
        assertTrue(ttl > 29_000 && ttl <= 30_000, "PTTL " + ttl);
    }

    @Test
    void twoReplicasCoolingOneDeploymentAtOnce_keepTheLatestEnd() throws Exception {
        RedisKeys keys = freshKeys();
        DeploymentId id = new DeploymentId("contended");
        try (UnifiedJedis other = RedisClient.create("127.0.0.1", server.port());
                ExecutorService threads = Executors.newFixedThreadPool(8)) {
            CooldownStore first = new RedisCooldownStore(redis, keys, clock);
            CooldownStore second = new RedisCooldownStore(other, keys, clock);
            for (int i = 0; i < 400; i++) {
                CooldownStore store = i % 2 == 0 ? first : second;
                int seconds = 1 + (i * 37) % 120;
                threads.submit(() -> store.coolDown(new Cooldown(
                        id, new ModelGroupName("g"), clock.instant().plusSeconds(seconds), "429")));
            }
            threads.shutdown();
            assertTrue(threads.awaitTermination(30, TimeUnit.SECONDS));
            assertEquals(
                    clock.instant().plusSeconds(120),
                    second.activeCooldown(id).orElseThrow().until());
            assertEquals(1, first.activeCooldowns().size());
        }
    }

    @Test
    void theFleetCountsFailures_together() {
        RedisKeys keys = freshKeys();
        try (UnifiedJedis other = RedisClient.create("127.0.0.1", server.port())) {
            CooldownStore first = new RedisCooldownStore(redis, keys, clock);
            CooldownStore second = new RedisCooldownStore(other, keys, clock);
            DeploymentId id = new DeploymentId("a");
            first.recordFailure(id, dev.keyline.domain.routing.FailureClass.RATE_LIMIT);
            assertEquals(2, second.recordFailure(id, dev.keyline.domain.routing.FailureClass.RATE_LIMIT));
            clock.advance(Duration.ofMinutes(1));
            assertEquals(1, first.recordFailure(id, dev.keyline.domain.routing.FailureClass.RATE_LIMIT));
        }
    }
}
