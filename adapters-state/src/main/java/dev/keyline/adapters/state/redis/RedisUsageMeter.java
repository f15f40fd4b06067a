package dev.keyline.adapters.state.redis;

import dev.keyline.domain.deployment.Deployment;
import dev.keyline.domain.deployment.DeploymentId;
import dev.keyline.domain.deployment.RoutingHints;
import dev.keyline.domain.routing.UsageLimit;
import dev.keyline.ports.out.Admission;
import dev.keyline.ports.out.UsageMeter;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import redis.clients.jedis.UnifiedJedis;

/**
 * Requests and tokens per deployment and minute, and calls in flight, counted in Redis for a whole fleet. Admitting
 * a call is one script: it reads the minute's counts and the calls in flight of every live replica, and counts the
 * call only when every limit allows it, so no two replicas can both take the last slot. Calls in flight are kept per
 * replica (one hash field each) beside a heartbeat key that expires when its replica stops refreshing it: a replica
 * that dies with calls open stops counting within {@link #HEARTBEAT_TTL}. Throws Jedis's exceptions when Redis fails;
 * {@link FleetUsageMeter} is what the gateway uses.
 */
public final class RedisUsageMeter implements UsageMeter {

    /** How long a replica counts as alive after its last heartbeat. */
    static final Duration HEARTBEAT_TTL = Duration.ofSeconds(10);
    /** Minute windows are kept a little past their minute, so a late token count still lands. */
    static final Duration WINDOW_TTL = WINDOW.multipliedBy(2);

    /** Sums a deployment's calls in flight over live replicas, dropping the fields of dead ones. */
    private static final String SUM_IN_FLIGHT = """
            local function in_flight(key, own, replicas)
              local total = 0
              local others = 0
              local fields = redis.call('HGETALL', key)
              for i = 1, #fields, 2 do
                if fields[i] == own then
                  total = total + tonumber(fields[i + 1])
                elseif redis.call('EXISTS', replicas .. fields[i]) == 1 then
                  total = total + tonumber(fields[i + 1])
                  others = others + tonumber(fields[i + 1])
                else
                  redis.call('HDEL', key, fields[i])
                end
              end
              return total, others
            end
            """;

    /**
     * KEYS: requests, tokens, in flight, own heartbeat. ARGV: rpm, tpm, parallel (0 for none), replica, window ttl
     * ms, heartbeat ttl ms, heartbeat start, enforce (1 or 0), count in flight (1 or 0). Returns 'ok', 'rpm', 'tpm'
     * or 'parallel'.
     */
    static final String ADMIT = SUM_IN_FLIGHT + """
            if ARGV[8] == '1' then
              local rpm = tonumber(ARGV[1])
              if rpm > 0 and tonumber(redis.call('GET', KEYS[1]) or '0') >= rpm then return 'rpm' end
              local tpm = tonumber(ARGV[2])
              if tpm > 0 and tonumber(redis.call('GET', KEYS[2]) or '0') >= tpm then return 'tpm' end
              local parallel = tonumber(ARGV[3])
              if parallel > 0 then
                local total = in_flight(KEYS[3], ARGV[4], ARGV[7])
                if total >= parallel then return 'parallel' end
              end
            end
            redis.call('INCR', KEYS[1])
            redis.call('PEXPIRE', KEYS[1], ARGV[5])
            if ARGV[9] == '1' then
              redis.call('HINCRBY', KEYS[3], ARGV[4], 1)
              redis.call('SET', KEYS[4], '1', 'PX', ARGV[6])
            end
            return 'ok'
            """;

    /** KEYS: in flight. ARGV: replica. */
    static final String LEAVE = """
            local left = redis.call('HINCRBY', KEYS[1], ARGV[1], -1)
            if left <= 0 then redis.call('HDEL', KEYS[1], ARGV[1]) end
            return left
            """;

    /** KEYS: tokens. ARGV: tokens, window ttl ms. */
    static final String ADD_TOKENS = """
            redis.call('INCRBY', KEYS[1], ARGV[1])
            redis.call('PEXPIRE', KEYS[1], ARGV[2])
            return 1
            """;

    /** KEYS: in-flight hashes. ARGV: replica, heartbeat start. Returns {total, others} per key. */
    private static final String IN_FLIGHT = SUM_IN_FLIGHT + """
            local out = {}
            for i, key in ipairs(KEYS) do
              local total, others = in_flight(key, ARGV[1], ARGV[2])
              table.insert(out, total)
              table.insert(out, others)
            end
            return out
            """;

    private final UnifiedJedis redis;
    private final RedisKeys keys;
    private final InstantSource clock;
    private final String replica;
    private final boolean countsInFlightOfAll;

    /**
     * @param replica             this replica's name in the fleet, unique among the live ones (a random one per
     *                            process)
     * @param countsInFlightOfAll whether every deployment's calls in flight are counted ({@code least-busy}
     *                            routing reads them); otherwise only those of deployments with
     *                            {@code max_parallel_requests}, saving a round trip per call for the others
     */
    public RedisUsageMeter(RedisLink link, InstantSource clock, String replica, boolean countsInFlightOfAll) {
        this(link.redis(), new RedisKeys(link.prefix()), clock, replica, countsInFlightOfAll);
    }

    RedisUsageMeter(
            UnifiedJedis redis, RedisKeys keys, InstantSource clock, String replica, boolean countsInFlightOfAll) {
        this.redis = Objects.requireNonNull(redis, "'redis' must not be null");
        this.keys = Objects.requireNonNull(keys, "'keys' must not be null");
        this.clock = Objects.requireNonNull(clock, "'clock' must not be null");
        this.replica = Objects.requireNonNull(replica, "'replica' must not be null");
        this.countsInFlightOfAll = countsInFlightOfAll;
    }

    private boolean countsInFlight(Deployment deployment) {
        return countsInFlightOfAll || deployment.routing().maxParallelRequests().isPresent();
    }

    @Override
    public Admission admit(Deployment deployment) {
        Instant now = clock.instant();
        String verdict = (String) run(deployment, now, true);
        Duration nextMinute = UsageMeter.untilNextMinute(now);
        return switch (verdict) {
            case "ok" -> new Admission.Admitted(leave(deployment));
            case "rpm" -> new Admission.AtLimit(UsageLimit.REQUESTS_PER_MINUTE, nextMinute);
            case "tpm" -> new Admission.AtLimit(UsageLimit.TOKENS_PER_MINUTE, nextMinute);
            case "parallel" -> new Admission.AtLimit(UsageLimit.PARALLEL_REQUESTS, Duration.ofSeconds(1));
            default -> throw new IllegalStateException("the admission script answered " + verdict);
        };
    }

    @Override
    public Runnable enter(Deployment deployment) {
        run(deployment, clock.instant(), false);
        return leave(deployment);
    }

    private Object run(Deployment deployment, Instant now, boolean enforce) {
        long minute = UsageMeter.minute(now);
        RoutingHints hints = deployment.routing();
        DeploymentId id = deployment.id();
        return redis.eval(
                ADMIT,
                List.of(keys.requests(id, minute), keys.tokens(id, minute), keys.inFlight(id), keys.replica(replica)),
                List.of(
                        Integer.toString(hints.rpm().orElse(0)),
                        Integer.toString(hints.tpm().orElse(0)),
                        Integer.toString(hints.maxParallelRequests().orElse(0)),
                        replica,
                        Long.toString(WINDOW_TTL.toMillis()),
                        Long.toString(HEARTBEAT_TTL.toMillis()),
                        keys.replicaStart(),
                        enforce ? "1" : "0",
                        countsInFlight(deployment) ? "1" : "0"));
    }

    /** The end of a call; when Redis fails here the replica's count is put right by {@link #publish}. */
    private Runnable leave(Deployment deployment) {
        if (!countsInFlight(deployment)) {
            return () -> {};
        }
        AtomicBoolean left = new AtomicBoolean();
        return () -> {
            if (left.compareAndSet(false, true)) {
                redis.eval(LEAVE, List.of(keys.inFlight(deployment.id())), List.of(replica));
            }
        };
    }

    @Override
    public void addTokens(Deployment deployment, long tokens) {
        if (tokens < 0) {
            throw new IllegalArgumentException("tokens must not be negative, was " + tokens);
        }
        redis.eval(
                ADD_TOKENS,
                List.of(keys.tokens(deployment.id(), UsageMeter.minute(clock.instant()))),
                List.of(Long.toString(tokens), Long.toString(WINDOW_TTL.toMillis())));
    }

    @Override
    public int inFlight(DeploymentId deployment) {
        return inFlightOf(List.of(deployment)).get(deployment).total();
    }

    /** A deployment's calls in flight on every live replica, and on the others than this one. */
    record InFlight(int total, int others) {}

    /** @return the calls in flight of each deployment given, read in one script */
    Map<DeploymentId, InFlight> inFlightOf(List<DeploymentId> deployments) {
        if (deployments.isEmpty()) {
            return Map.of();
        }
        List<String> hashes = new ArrayList<>();
        deployments.forEach(d -> hashes.add(keys.inFlight(d)));
        @SuppressWarnings("unchecked")
        List<Long> sums = (List<Long>) redis.eval(IN_FLIGHT, hashes, List.of(replica, keys.replicaStart()));
        Map<DeploymentId, InFlight> result = new HashMap<>();
        for (int i = 0; i < deployments.size(); i++) {
            result.put(
                    deployments.get(i),
                    new InFlight(Math.toIntExact(sums.get(2 * i)), Math.toIntExact(sums.get(2 * i + 1))));
        }
        return result;
    }

    /**
     * Refreshes this replica's heartbeat and writes its calls in flight as it counts them itself, correcting what
     * a failed {@code leave} or a spell without Redis left wrong.
     *
     * @param own this replica's calls in flight per deployment
     */
    void publish(Map<DeploymentId, Integer> own) {
        try (var pipeline = redis.pipelined()) {
            pipeline.psetex(keys.replica(replica), HEARTBEAT_TTL.toMillis(), "1");
            own.forEach((deployment, count) -> {
                if (count > 0) {
                    pipeline.hset(keys.inFlight(deployment), replica, Integer.toString(count));
                } else {
                    pipeline.hdel(keys.inFlight(deployment), replica);
                }
            });
            pipeline.sync();
        }
    }
}
