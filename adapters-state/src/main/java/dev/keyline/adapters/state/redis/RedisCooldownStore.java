package dev.keyline.adapters.state.redis;

import dev.keyline.domain.deployment.DeploymentId;
import dev.keyline.domain.deployment.ModelGroupName;
import dev.keyline.domain.routing.Cooldown;
import dev.keyline.domain.routing.FailureClass;
import dev.keyline.ports.out.CooldownStore;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import redis.clients.jedis.UnifiedJedis;

/**
 * Cooldowns and failure windows in Redis, shared by every gateway using the same key prefix. Each cooldown is a hash
 * that expires at its end ({@code PEXPIRE}), listed in a sorted set by end; re-cooling keeps the later end in one
 * script, so two replicas cooling the same deployment at once cannot shorten a rest. Time comes from the clock given
 * (the gateways', kept in step by NTP), not Redis's. Throws Jedis's exceptions when Redis fails; {@link
 * FleetCooldownStore} is what the gateway uses, and goes on without Redis.
 */
public final class RedisCooldownStore implements CooldownStore {

    /**
     * KEYS: the cooldown, the index. ARGV: end (epoch ms), group, reason, ttl ms, deployment, now (epoch ms),
     * channel. A rest that changed is announced on the channel as its four fields, one per line.
     */
    private static final String COOL_DOWN = """
            local current = redis.call('HGET', KEYS[1], 'until')
            if current and tonumber(current) >= tonumber(ARGV[1]) then return 0 end
            redis.call('HSET', KEYS[1], 'until', ARGV[1], 'group', ARGV[2], 'reason', ARGV[3])
            redis.call('PEXPIRE', KEYS[1], ARGV[4])
            redis.call('ZADD', KEYS[2], ARGV[1], ARGV[5])
            redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', ARGV[6])
            redis.call('PUBLISH', ARGV[7], ARGV[5] .. '\\n' .. ARGV[1] .. '\\n' .. ARGV[2] .. '\\n' .. ARGV[3])
            return 1
            """;

    /** KEYS: the index. ARGV: now (epoch ms), the start of the cooldown keys. Returns id, end, group, reason, … */
    private static final String ACTIVE = """
            local ids = redis.call('ZRANGEBYSCORE', KEYS[1], '(' .. ARGV[1], '+inf')
            local out = {}
            for _, id in ipairs(ids) do
              local v = redis.call('HMGET', ARGV[2] .. id, 'until', 'group', 'reason')
              if v[1] then
                table.insert(out, id)
                table.insert(out, v[1])
                table.insert(out, v[2])
                table.insert(out, v[3])
              end
            end
            return out
            """;

    /** KEYS: the window. ARGV: now (epoch ms), window ms. A window opens with the first failure and is not extended. */
    private static final String RECORD_FAILURE = """
            local start = redis.call('HGET', KEYS[1], 'start')
            local now = tonumber(ARGV[1])
            if (not start) or now - tonumber(start) >= tonumber(ARGV[2]) then
              redis.call('HSET', KEYS[1], 'start', ARGV[1], 'count', 1)
              redis.call('PEXPIRE', KEYS[1], ARGV[2])
              return 1
            end
            return redis.call('HINCRBY', KEYS[1], 'count', 1)
            """;

    private final UnifiedJedis redis;
    private final RedisKeys keys;
    private final InstantSource clock;

    public RedisCooldownStore(RedisLink link, InstantSource clock) {
        this(link.redis(), new RedisKeys(link.prefix()), clock);
    }

    RedisCooldownStore(UnifiedJedis redis, RedisKeys keys, InstantSource clock) {
        this.redis = Objects.requireNonNull(redis, "'redis' must not be null");
        this.keys = Objects.requireNonNull(keys, "'keys' must not be null");
        this.clock = Objects.requireNonNull(clock, "'clock' must not be null");
    }

    @Override
    public int recordFailure(DeploymentId deployment, FailureClass failureClass) {
        Object count = redis.eval(
                RECORD_FAILURE,
                List.of(keys.failures(deployment, failureClass)),
                List.of(Long.toString(clock.millis()), Long.toString(FAILURE_WINDOW.toMillis())));
        return Math.toIntExact((Long) count);
    }

    @Override
    public void coolDown(Cooldown cooldown) {
        Objects.requireNonNull(cooldown, "'cooldown' must not be null");
        long now = clock.millis();
        long until = cooldown.until().toEpochMilli();
        if (until <= now) {
            return;
        }
        redis.eval(
                COOL_DOWN,
                List.of(keys.cooldown(cooldown.deployment()), keys.cooldownIndex()),
                List.of(
                        Long.toString(until),
                        cooldown.group().value(),
                        cooldown.reason(),
                        Long.toString(until - now),
                        cooldown.deployment().value(),
                        Long.toString(now),
                        keys.cooldownChannel()));
    }

    /**
     * @param announcement a message from {@link RedisKeys#cooldownChannel()}
     * @return the cooldown it announces
     */
    static Cooldown announced(String announcement) {
        String[] parts = announcement.split("\n", 4);
        if (parts.length != 4) {
            throw new IllegalArgumentException("not a cooldown announcement");
        }
        return cooldown(parts[0], parts[1], parts[2], parts[3]);
    }

    /** @return the channel rests are announced on */
    String channel() {
        return keys.cooldownChannel();
    }

    @Override
    public Optional<Cooldown> activeCooldown(DeploymentId deployment) {
        List<String> fields = redis.hmget(keys.cooldown(deployment), "until", "group", "reason");
        if (fields.getFirst() == null) {
            return Optional.empty();
        }
        return Optional.of(cooldown(deployment.value(), fields.get(0), fields.get(1), fields.get(2)))
                .filter(c -> c.isActiveAt(clock.instant()));
    }

    @Override
    public List<Cooldown> activeCooldowns() {
        Instant now = clock.instant();
        @SuppressWarnings("unchecked")
        List<Object> flat = (List<Object>) redis.eval(
                ACTIVE,
                List.of(keys.cooldownIndex()),
                List.of(Long.toString(now.toEpochMilli()), keys.cooldownStart()));
        List<Cooldown> active = new ArrayList<>();
        for (int i = 0; i + 3 < flat.size(); i += 4) {
            active.add(
                    cooldown(text(flat.get(i)), text(flat.get(i + 1)), text(flat.get(i + 2)), text(flat.get(i + 3))));
        }
        return active.stream()
                .filter(c -> c.isActiveAt(now))
                .sorted(Comparator.comparing(Cooldown::until))
                .toList();
    }

    private static Cooldown cooldown(String id, String until, String group, String reason) {
        return new Cooldown(
                new DeploymentId(id),
                new ModelGroupName(group),
                Instant.ofEpochMilli(Long.parseLong(until)),
                Objects.requireNonNullElse(reason, ""));
    }

    private static String text(Object value) {
        return value instanceof byte[] bytes ? new String(bytes, StandardCharsets.UTF_8) : String.valueOf(value);
    }
}
