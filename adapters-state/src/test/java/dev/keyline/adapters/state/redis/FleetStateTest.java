package dev.keyline.adapters.state.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.keyline.adapters.state.CaffeineCooldownStore;
import dev.keyline.adapters.state.InProcessUsageMeter;
import dev.keyline.adapters.state.testing.LocalRedis;
import dev.keyline.domain.deployment.Deployment;
import dev.keyline.domain.deployment.DeploymentId;
import dev.keyline.domain.deployment.ModelGroupName;
import dev.keyline.domain.deployment.RoutingHints;
import dev.keyline.domain.routing.Cooldown;
import dev.keyline.domain.routing.FailureClass;
import dev.keyline.domain.testing.TestDeployments;
import dev.keyline.ports.out.Admission;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.UnifiedJedis;

/** Two replicas' state through one real Redis, and what each does when Redis dies, hangs, and comes back. */
class FleetStateTest {

    private static final Duration TIMEOUT = Duration.ofMillis(100);
    private static final Duration SYNC = Duration.ofMillis(50);
    private final InstantSource clock = InstantSource.system();
    private final Deployment limited =
            TestDeployments.deployment("limited", "g", RoutingHints.defaults().withLimits(10, 0, 0));
    private final List<Deployment> deployments = List.of(limited);
    private LocalRedis server;
    private RedisEndpoint endpoint;

    @BeforeEach
    void startRedis() {
        assumeTrue(LocalRedis.binary().isPresent(), LocalRedis.MISSING);
        server = LocalRedis.start();
        endpoint = RedisEndpoint.fromUrl(server.url(), TIMEOUT, "fleet-" + UUID.randomUUID());
    }

    @AfterEach
    void stopRedis() {
        if (server != null) {
            server.close();
        }
    }

    private record Replica(RedisLink link, FleetCooldownStore cooldowns, FleetUsageMeter meter)
            implements AutoCloseable {
        @Override
        public void close() {
            link.close();
        }
    }

    private Replica replica(String name) {
        return replica(name, SYNC);
    }

    private Replica replica(String name, Duration sync) {
        RedisLink link = RedisLink.open(endpoint, sync);
        return new Replica(
                link,
                new FleetCooldownStore(link, new RedisCooldownStore(link, clock), new CaffeineCooldownStore(clock)),
                new FleetUsageMeter(
                        link,
                        new RedisUsageMeter(link, clock, name, true),
                        new InProcessUsageMeter(clock),
                        deployments,
                        true));
    }

    private Cooldown cooldown(String id, String reason) {
        return new Cooldown(
                new DeploymentId(id), new ModelGroupName("g"), clock.instant().plusSeconds(60), reason);
    }

    @Test
    void aRestStartedByOneReplica_isSeenByTheOther_withinASync() {
        try (Replica a = replica("a");
                Replica b = replica("b")) {
            a.cooldowns().coolDown(cooldown("x", "overloaded (HTTP 529)"));

            awaitTrue(() -> b.cooldowns().activeCooldown(new DeploymentId("x")).isPresent(), Duration.ofSeconds(2));
            assertEquals(
                    "overloaded (HTTP 529)",
                    b.cooldowns().activeCooldowns().getFirst().reason());
        }
    }

    @Test
    void aRestIsAnnounced_soTheOtherReplicaKnowsItLongBeforeItsNextSync() {
        Duration rarely = Duration.ofSeconds(30);
        try (Replica a = replica("a", rarely);
                Replica b = replica("b", rarely);
                Jedis observer = new Jedis("127.0.0.1", server.port())) {
            String channel = new RedisKeys(endpoint.keyPrefix()).cooldownChannel();
            awaitTrue(() -> observer.pubsubNumSub(channel).get(channel) == 2L, Duration.ofSeconds(5));

            long started = System.nanoTime();
            a.cooldowns().coolDown(cooldown("x", "rate limited (HTTP 429)"));
            awaitTrue(() -> b.cooldowns().activeCooldown(new DeploymentId("x")).isPresent(), Duration.ofSeconds(2));

            Duration seen = Duration.ofNanos(System.nanoTime() - started);
            assertTrue(seen.compareTo(Duration.ofMillis(500)) < 0, "seen after " + seen);
        }
    }

    @Test
    void twoReplicas_shareTheRpm_andTheCallsInFlight() {
        try (Replica a = replica("a");
                Replica b = replica("b")) {
            int admitted = 0;
            for (int i = 0; i < 30; i++) {
                Replica r = i % 2 == 0 ? a : b;
                if (r.meter().admit(limited) instanceof Admission.Admitted) {
                    admitted++;
                }
            }
            assertEquals(10, admitted);
            awaitTrue(() -> a.meter().inFlight(limited.id()) == 10, Duration.ofSeconds(2));
        }
    }

    @Test
    void redisKilled_eachReplicaGoesOnAlone_withoutWaiting_andHandsOverWhatItLearnedWhenRedisReturns() {
        try (Replica a = replica("a")) {
            server.kill();

            long started = System.nanoTime();
            a.cooldowns().coolDown(cooldown("y", "server error (HTTP 500)"));
            for (int i = 0; i < 100; i++) {
                a.cooldowns().recordFailure(new DeploymentId("y"), FailureClass.SERVICE_UNAVAILABLE);
                a.meter().admit(limited);
            }
            Duration spent = Duration.ofNanos(System.nanoTime() - started);
            assertTrue(spent.compareTo(Duration.ofSeconds(1)) < 0, "100 requests' state took " + spent);
            assertFalse(a.link().isUp());
            assertTrue(a.cooldowns().activeCooldown(new DeploymentId("y")).isPresent(), "the local rest holds");
            assertInstanceOf(Admission.AtLimit.class, a.meter().admit(limited), "the local rpm holds");

            server.restart();
            awaitTrue(() -> a.link().isUp(), Duration.ofSeconds(5));
            try (UnifiedJedis observer = RedisClient.create("127.0.0.1", server.port())) {
                RedisCooldownStore fleet = new RedisCooldownStore(observer, new RedisKeys(endpoint.keyPrefix()), clock);
                assertTrue(fleet.activeCooldown(new DeploymentId("y")).isPresent(), "the rest was handed over");
            }
        }
    }

    @Test
    void aHungRedis_costsARequestAtMostItsTimeout_once() {
        try (Replica a = replica("a")) {
            server.freeze();
            try {
                long started = System.nanoTime();
                a.cooldowns().recordFailure(new DeploymentId("z"), FailureClass.TIMEOUT);
                Duration first = Duration.ofNanos(System.nanoTime() - started);
                started = System.nanoTime();
                a.meter().admit(limited);
                Duration second = Duration.ofNanos(System.nanoTime() - started);

                assertTrue(first.compareTo(TIMEOUT.multipliedBy(5)) < 0, "the first call waited " + first);
                assertTrue(second.compareTo(Duration.ofMillis(20)) < 0, "the next call waited " + second);
            } finally {
                server.thaw();
            }
            awaitTrue(() -> a.link().isUp(), Duration.ofSeconds(5));
        }
    }

    @Test
    void redisAwayAtStart_theReplicaStarts_andJoinsWhenRedisComes() {
        server.kill();
        try (Replica a = replica("a")) {
            assertFalse(a.link().isUp());
            assertInstanceOf(Admission.Admitted.class, a.meter().admit(limited));

            server.restart();
            awaitTrue(() -> a.link().isUp(), Duration.ofSeconds(5));
        }
    }

    private static void awaitTrue(BooleanSupplier condition, Duration within) {
        long deadline = System.nanoTime() + within.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not true within " + within);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted");
            }
        }
    }
}
