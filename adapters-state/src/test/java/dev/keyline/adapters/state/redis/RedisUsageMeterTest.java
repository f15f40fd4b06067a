package dev.keyline.adapters.state.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.keyline.adapters.state.testing.LocalRedis;
import dev.keyline.domain.deployment.Deployment;
import dev.keyline.domain.deployment.RoutingHints;
import dev.keyline.domain.testing.TestDeployments;
import dev.keyline.ports.out.Admission;
import dev.keyline.ports.out.UsageMeter;
import dev.keyline.ports.out.UsageMeterContract;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.UnifiedJedis;

/** The usage meter contract, and what sharing it across replicas adds, against a real redis-server. */
class RedisUsageMeterTest extends UsageMeterContract {

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
    protected UsageMeter createMeter() {
        return new RedisUsageMeter(redis, RedisCooldownStoreTest.freshKeys(), clock, "replica-1", true);
    }

    @Test
    void twoReplicas_shareOneRpm_underConcurrentLoad() throws Exception {
        RedisKeys keys = RedisCooldownStoreTest.freshKeys();
        Deployment limited = TestDeployments.deployment(
                "shared", "g", RoutingHints.defaults().withLimits(60, 0, 0));
        AtomicInteger admitted = new AtomicInteger();
        try (UnifiedJedis other = RedisClient.create("127.0.0.1", server.port());
                ExecutorService threads = Executors.newFixedThreadPool(16)) {
            List<UsageMeter> replicas = List.of(
                    new RedisUsageMeter(redis, keys, clock, "a", true),
                    new RedisUsageMeter(other, keys, clock, "b", true));
            List<Future<?>> calls = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                UsageMeter replica = replicas.get(i % 2);
                calls.add(threads.submit(() -> {
                    if (replica.admit(limited) instanceof Admission.Admitted call) {
                        admitted.incrementAndGet();
                        call.leave().run();
                    }
                }));
            }
            for (Future<?> call : calls) {
                call.get();
            }
        }
        assertEquals(60, admitted.get());
    }

    @Test
    void maxParallelRequests_countsEveryLiveReplica_andForgetsADeadOne() {
        RedisKeys keys = RedisCooldownStoreTest.freshKeys();
        Deployment limited = TestDeployments.deployment(
                "parallel", "g", RoutingHints.defaults().withLimits(0, 0, 2));
        RedisUsageMeter a = new RedisUsageMeter(redis, keys, clock, "a", true);
        RedisUsageMeter b = new RedisUsageMeter(redis, keys, clock, "b", true);

        assertInstanceOf(Admission.Admitted.class, a.admit(limited));
        assertInstanceOf(Admission.Admitted.class, b.admit(limited));
        assertInstanceOf(Admission.AtLimit.class, a.admit(limited));
        assertEquals(
                new RedisUsageMeter.InFlight(2, 1),
                a.inFlightOf(List.of(limited.id())).get(limited.id()));

        // b dies with its call open: its heartbeat lapses (deleted here rather than waited for).
        redis.del(keys.replica("b"));
        assertInstanceOf(Admission.Admitted.class, a.admit(limited));
        assertEquals(2, a.inFlight(limited.id()));
    }

    @Test
    void anRpmOnlyDeployment_costsOneRoundTripACall_withoutLeastBusy() {
        RedisKeys keys = RedisCooldownStoreTest.freshKeys();
        Deployment rpmOnly = TestDeployments.deployment(
                "rpm-only", "g", RoutingHints.defaults().withLimits(5, 0, 0));
        RedisUsageMeter meter = new RedisUsageMeter(redis, keys, clock, "a", false);

        Runnable leave =
                assertInstanceOf(Admission.Admitted.class, meter.admit(rpmOnly)).leave();

        assertEquals(0, meter.inFlight(rpmOnly.id()), "its calls in flight are not counted in Redis");
        assertEquals(false, redis.exists(keys.inFlight(rpmOnly.id())));
        leave.run();
        assertEquals("1", redis.get(keys.requests(rpmOnly.id(), UsageMeter.minute(clock.instant()))));
    }

    @Test
    void publish_putsARepliasCountRight() {
        RedisKeys keys = RedisCooldownStoreTest.freshKeys();
        Deployment limited = TestDeployments.deployment(
                "healed", "g", RoutingHints.defaults().withLimits(0, 0, 5));
        RedisUsageMeter a = new RedisUsageMeter(redis, keys, clock, "a", true);
        for (int i = 0; i < 3; i++) {
            a.admit(limited);
        }

        a.publish(Map.of(limited.id(), 1));
        assertEquals(1, a.inFlight(limited.id()));
        a.publish(Map.of(limited.id(), 0));
        assertEquals(0, a.inFlight(limited.id()));
    }
}
