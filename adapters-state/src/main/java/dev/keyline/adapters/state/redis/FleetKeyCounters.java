package dev.keyline.adapters.state.redis;

import dev.keyline.adapters.state.InProcessKeyCounters;
import dev.keyline.domain.keys.Budget;
import dev.keyline.domain.keys.Limits;
import dev.keyline.domain.keys.Usd;
import dev.keyline.domain.routing.UsageLimit;
import dev.keyline.ports.out.Admission;
import dev.keyline.ports.out.KeyCounters;
import dev.keyline.ports.out.UsageMeter;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import redis.clients.jedis.UnifiedJedis;

/**
 * Keys' and teams' counters for a fleet: spend per budget period and rate counts kept in Redis, so a budget holds
 * across replicas (a key with a budget for N requests gets N, not N per replica). Spend is an integer counter of
 * billionths of a dollar ({@code INCRBY}, exact). Rate limits are admitted by the same script as deployments' limits.
 * While Redis is away each replica counts on its own (budgets then hold per replica) and says so once in the log.
 */
public final class FleetKeyCounters implements KeyCounters {

    /** A period's spend is kept a day past the longest period it may belong to, then forgotten. */
    private static final Duration SPEND_TTL_SLACK = Duration.ofDays(1);

    private final RedisLink link;
    private final UnifiedJedis redis;
    private final RedisKeys keys;
    private final InstantSource clock;
    private final String replica;
    private final InProcessKeyCounters local;

    /**
     * @param replica this replica's name in the fleet (the one its usage meter uses, whose heartbeat it shares)
     */
    public FleetKeyCounters(RedisLink link, InstantSource clock, String replica, InProcessKeyCounters local) {
        this.link = Objects.requireNonNull(link, "'link' must not be null");
        this.redis = link.redis();
        this.keys = new RedisKeys(link.prefix());
        this.clock = Objects.requireNonNull(clock, "'clock' must not be null");
        this.replica = Objects.requireNonNull(replica, "'replica' must not be null");
        this.local = Objects.requireNonNull(local, "'local' must not be null");
        link.whileUp(() -> redis.psetex(keys.replica(replica), RedisUsageMeter.HEARTBEAT_TTL.toMillis(), "1"));
    }

    /** KEYS: spend. ARGV: nanos to add, expiry (epoch ms, 0 for none), set only if absent (1 or 0). */
    private static final String ADD_SPEND = """
            if ARGV[3] == '1' then
              if redis.call('SET', KEYS[1], ARGV[1], 'NX') == false then return 0 end
            else
              redis.call('INCRBY', KEYS[1], ARGV[1])
            end
            if ARGV[2] ~= '0' then redis.call('PEXPIREAT', KEYS[1], ARGV[2]) end
            return 1
            """;

    @Override
    public Usd spent(String owner, Budget.Window period) {
        Optional<String> value = link.attempt(() -> Optional.ofNullable(redis.get(keys.spend(owner, period.index()))))
                .map(v -> v.orElse("0"));
        return value.map(v -> new Usd(Long.parseLong(v))).orElseGet(() -> local.spent(owner, period));
    }

    @Override
    public void addSpend(String owner, Budget.Window period, Usd cost) {
        local.addSpend(owner, period, cost);
        link.attemptRun(() -> spend(owner, period, cost, false));
    }

    @Override
    public void seedSpend(String owner, Budget.Window period, Usd spent) {
        local.seedSpend(owner, period, spent);
        link.attemptRun(() -> spend(owner, period, spent, true));
    }

    private void spend(String owner, Budget.Window period, Usd amount, boolean onlyIfAbsent) {
        // A period's counter is kept a day past the period's end; without a period it is kept.
        long expiry = period.resetsAt()
                .map(at -> at.plus(SPEND_TTL_SLACK).toEpochMilli())
                .orElse(0L);
        redis.eval(
                ADD_SPEND,
                List.of(keys.spend(owner, period.index())),
                List.of(Long.toString(amount.nanos()), Long.toString(expiry), onlyIfAbsent ? "1" : "0"));
    }

    @Override
    public Admission admit(String owner, Limits limits) {
        Instant now = clock.instant();
        long minute = UsageMeter.minute(now);
        Optional<Object> verdict = link.attempt(() -> redis.eval(
                RedisUsageMeter.ADMIT,
                List.of(
                        keys.keyRequests(owner, minute),
                        keys.keyTokens(owner, minute),
                        keys.keyInFlight(owner),
                        keys.replica(replica)),
                List.of(
                        Long.toString(limits.rpm().orElse(0)),
                        Long.toString(limits.tpm().orElse(0)),
                        Integer.toString(limits.maxParallel().orElse(0)),
                        replica,
                        Long.toString(RedisUsageMeter.WINDOW_TTL.toMillis()),
                        Long.toString(RedisUsageMeter.HEARTBEAT_TTL.toMillis()),
                        keys.replicaStart(),
                        "1",
                        limits.maxParallel().isPresent() ? "1" : "0")));
        if (verdict.isEmpty()) {
            return local.admit(owner, limits);
        }
        Duration nextMinute = UsageMeter.untilNextMinute(now);
        return switch ((String) verdict.get()) {
            case "ok" -> new Admission.Admitted(leave(owner, limits));
            case "rpm" -> new Admission.AtLimit(UsageLimit.REQUESTS_PER_MINUTE, nextMinute);
            case "tpm" -> new Admission.AtLimit(UsageLimit.TOKENS_PER_MINUTE, nextMinute);
            case "parallel" -> new Admission.AtLimit(UsageLimit.PARALLEL_REQUESTS, Duration.ofSeconds(1));
            default -> throw new IllegalStateException("the admission script answered " + verdict.get());
        };
    }

    private Runnable leave(String owner, Limits limits) {
        if (limits.maxParallel().isEmpty()) {
            return () -> {};
        }
        AtomicBoolean left = new AtomicBoolean();
        return () -> {
            if (left.compareAndSet(false, true)) {
                link.attemptRun(
                        () -> redis.eval(RedisUsageMeter.LEAVE, List.of(keys.keyInFlight(owner)), List.of(replica)));
            }
        };
    }

    @Override
    public void addTokens(String owner, long tokens) {
        local.addTokens(owner, tokens);
        link.attemptRun(() -> redis.eval(
                RedisUsageMeter.ADD_TOKENS,
                List.of(keys.keyTokens(owner, UsageMeter.minute(clock.instant()))),
                List.of(Long.toString(tokens), Long.toString(RedisUsageMeter.WINDOW_TTL.toMillis()))));
    }
}
