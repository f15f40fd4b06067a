package dev.keyline.adapters.state.redis;

import java.io.IOException;
import java.io.InputStream;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;
import redis.clients.jedis.ConnectionPoolConfig;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.JedisPubSub;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.UnifiedJedis;

/**
 * The connection a replica keeps to its fleet's Redis, and whether Redis is usable now. While it is, calls go
 * through, each waiting at most the endpoint's timeout; the first call that fails marks it lost, and from then on no
 * request waits on Redis at all: callers go on with this replica's own state. A background thread asks every second
 * whether Redis is back; when it is, the tasks registered with {@link #onReturn} run (each store hands Redis what it
 * learned alone) before Redis is used again. Each change of state is logged once. Stores may also {@link #listen} to a
 * channel, for news that should not wait for the next sync.
 */
public final class RedisLink implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(RedisLink.class.getName());
    /** How often a lost Redis is asked whether it is back. */
    static final Duration RECONNECT_EVERY = Duration.ofSeconds(1);

    private final RedisEndpoint endpoint;
    private final UnifiedJedis redis;
    private final AtomicBoolean up = new AtomicBoolean();
    private final List<Runnable> onReturn = new CopyOnWriteArrayList<>();
    private final List<Runnable> whileUp = new CopyOnWriteArrayList<>();
    private final List<JedisPubSub> subscribers = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService background;
    private volatile long lastReconnectAttempt;

    private final SslSetup ssl;

    private RedisLink(RedisEndpoint endpoint, UnifiedJedis redis, Duration syncEvery, SslSetup ssl) {
        this.endpoint = endpoint;
        this.redis = redis;
        this.ssl = ssl;
        this.background = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "keyline-redis");
            thread.setDaemon(true);
            return thread;
        });
        background.scheduleWithFixedDelay(
                this::tick, syncEvery.toMillis(), syncEvery.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Connects, or starts without Redis when it cannot be reached (and keeps trying in the background).
     *
     * @param endpoint  where Redis is
     * @param syncEvery how often the {@link #whileUp} tasks run
     */
    public static RedisLink open(RedisEndpoint endpoint, Duration syncEvery) {
        Objects.requireNonNull(endpoint, "'endpoint' must not be null");
        ConnectionPoolConfig pool = new ConnectionPoolConfig();
        pool.setMaxTotal(64);
        pool.setMaxIdle(64);
        pool.setMaxWait(endpoint.timeout());
        pool.setJmxEnabled(false);
        SslSetup ssl = SslSetup.of(endpoint);
        UnifiedJedis redis = RedisClient.builder()
                .hostAndPort(endpoint.host(), endpoint.port())
                .clientConfig(clientConfig(endpoint, endpoint.timeout(), ssl))
                .poolConfig(pool)
                .build();
        RedisLink link = new RedisLink(endpoint, redis, syncEvery, ssl);
        try {
            redis.ping();
            link.up.set(true);
            LOG.log(
                    Level.INFO,
                    "sharing cooldowns and limits through Redis at {0} (key prefix {1})",
                    endpoint.address(),
                    endpoint.keyPrefix());
        } catch (RuntimeException e) {
            if (untrusted(e)) {
                LOG.log(
                        Level.ERROR,
                        "Redis at {0} presented a certificate this replica does not trust ({1}); no connection is"
                                + " made, and the replica serves on its own state",
                        endpoint.address(),
                        endpoint.authorities()
                                .map(bundle ->
                                        "not signed by a CA in " + bundle + ", or not for host " + endpoint.host())
                                .orElse("not signed by a CA the JVM trusts, or not for host " + endpoint.host()
                                        + "; name a private CA with redis_ssl_ca_certs"));
            } else {
                LOG.log(
                        Level.WARNING,
                        "Redis at {0} cannot be reached ({1}); serving on this replica''s own state and trying again"
                                + " every second",
                        endpoint.address(),
                        link.describe(e));
            }
        }
        return link;
    }

    /** @param answerWithin how long a reply may take; zero for a subscriber, which waits for messages */
    private static JedisClientConfig clientConfig(RedisEndpoint endpoint, Duration answerWithin, SslSetup ssl) {
        DefaultJedisClientConfig.Builder client = DefaultJedisClientConfig.builder()
                .connectionTimeoutMillis(Math.toIntExact(endpoint.timeout().toMillis()))
                .socketTimeoutMillis(Math.toIntExact(answerWithin.toMillis()))
                .database(endpoint.database())
                .ssl(endpoint.tls())
                .clientName("keyline")
                // RESP2 is all Keyline uses, and every Redis since 2.6 speaks it: no negotiation, no warning.
                .autoNegotiateProtocol(false);
        if (endpoint.tls()) {
            // The host name is checked as HTTPS checks it: a certificate for another host is refused.
            SSLParameters parameters = new SSLParameters();
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
            client.sslParameters(parameters);
            ssl.factory().ifPresent(client::sslSocketFactory);
        }
        endpoint.user().ifPresent(client::user);
        endpoint.password().ifPresent(client::password);
        return client.build();
    }

    /** @return whether a failure is a certificate the replica does not trust: waiting will not mend it */
    static boolean untrusted(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof SSLHandshakeException || cause instanceof CertificateException) {
                return true;
            }
            if (cause.getCause() == cause) {
                break;
            }
        }
        return false;
    }

    /** The TLS socket factory a private CA bundle asks for; none when the JVM's trusted CAs do. */
    private record SslSetup(Optional<SSLSocketFactory> factory) {
        static SslSetup of(RedisEndpoint endpoint) {
            if (endpoint.authorities().isEmpty()) {
                return new SslSetup(Optional.empty());
            }
            Path bundle = endpoint.authorities().get();
            try (InputStream in = Files.newInputStream(bundle)) {
                KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
                trusted.load(null, null);
                int i = 0;
                for (Certificate ca : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                    trusted.setCertificateEntry("ca-" + i++, ca);
                }
                if (i == 0) {
                    throw new IllegalArgumentException(bundle + " holds no certificate");
                }
                TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                trust.init(trusted);
                SSLContext context = SSLContext.getInstance("TLS");
                context.init(null, trust.getTrustManagers(), null);
                return new SslSetup(Optional.of(context.getSocketFactory()));
            } catch (IOException e) {
                throw new IllegalArgumentException(
                        "cannot read " + bundle + " (" + e.getClass().getSimpleName() + ")");
            } catch (GeneralSecurityException e) {
                throw new IllegalArgumentException(bundle + " is not a PEM file of CA certificates");
            }
        }
    }

    /**
     * Delivers the messages published on a channel, on a thread of its own, while Redis is there; messages sent
     * while it is away are lost (the stores' periodic sync makes up for them).
     */
    void listen(String channel, Consumer<String> onMessage) {
        Objects.requireNonNull(onMessage, "'onMessage' must not be null");
        JedisPubSub subscriber = new JedisPubSub() {
            @Override
            public void onMessage(String from, String message) {
                try {
                    onMessage.accept(message);
                } catch (RuntimeException e) {
                    LOG.log(Level.DEBUG, "a message on {0} could not be used: {1}", from, describe(e));
                }
            }
        };
        subscribers.add(subscriber);
        Thread.ofPlatform().daemon().name("keyline-redis-listen").start(() -> {
            while (!background.isShutdown()) {
                if (up.get()) {
                    try (Jedis connection =
                            new Jedis(endpoint.host(), endpoint.port(), clientConfig(endpoint, Duration.ZERO, ssl))) {
                        connection.subscribe(subscriber, channel);
                    } catch (RuntimeException e) {
                        LOG.log(Level.DEBUG, "listening on {0} stopped: {1}", channel, describe(e));
                    }
                }
                try {
                    Thread.sleep(RECONNECT_EVERY.toMillis());
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
    }

    /** @return the client, for the stores built on this link */
    UnifiedJedis redis() {
        return redis;
    }

    /** @return the start of every key this fleet uses */
    String prefix() {
        return endpoint.keyPrefix();
    }

    /** @return whether calls go to Redis now */
    public boolean isUp() {
        return up.get();
    }

    /** Registers a task run when Redis returns, before it is used again; it may throw to say Redis failed again. */
    void onReturn(Runnable task) {
        onReturn.add(Objects.requireNonNull(task, "'task' must not be null"));
    }

    /** Registers a task run on the background thread every sync interval while Redis is up. */
    void whileUp(Runnable task) {
        whileUp.add(Objects.requireNonNull(task, "'task' must not be null"));
    }

    /**
     * @param call a call to Redis
     * @return its result, or empty when Redis is lost (now or already)
     */
    <T> Optional<T> attempt(Supplier<T> call) {
        if (!up.get()) {
            return Optional.empty();
        }
        try {
            return Optional.of(call.get());
        } catch (RuntimeException e) {
            lost(e);
            return Optional.empty();
        }
    }

    /** @return whether the call went through */
    boolean attemptRun(Runnable call) {
        return attempt(() -> {
                    call.run();
                    return Boolean.TRUE;
                })
                .isPresent();
    }

    private void lost(RuntimeException e) {
        if (up.compareAndSet(true, false)) {
            LOG.log(
                    Level.WARNING,
                    "lost Redis at {0} ({1}); serving on this replica''s own state until it returns",
                    endpoint.address(),
                    describe(e));
        }
    }

    private void tick() {
        if (up.get()) {
            for (Runnable task : whileUp) {
                if (!attemptRun(task)) {
                    return;
                }
            }
            return;
        }
        long now = System.nanoTime();
        if (now - lastReconnectAttempt < RECONNECT_EVERY.toNanos()) {
            return;
        }
        lastReconnectAttempt = now;
        try {
            redis.ping();
            onReturn.forEach(Runnable::run);
        } catch (RuntimeException e) {
            LOG.log(Level.DEBUG, "Redis at {0} is still away: {1}", endpoint.address(), describe(e));
            return;
        }
        if (up.compareAndSet(false, true)) {
            LOG.log(
                    Level.INFO,
                    "Redis at {0} is back; sharing cooldowns and limits through it again",
                    endpoint.address());
        }
    }

    /** @return the failure in a few words, with no password in them */
    private String describe(RuntimeException e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String text = root.getClass().getSimpleName() + (root.getMessage() == null ? "" : ": " + root.getMessage());
        if (endpoint.password().isPresent() && !endpoint.password().get().isEmpty()) {
            text = text.replace(endpoint.password().get(), "***");
        }
        return text;
    }

    @Override
    public void close() {
        background.shutdownNow();
        for (JedisPubSub subscriber : subscribers) {
            try {
                if (subscriber.isSubscribed()) {
                    subscriber.unsubscribe();
                }
            } catch (RuntimeException e) {
                // Redis is gone already; the listening thread ends with it.
            }
        }
        try {
            background.awaitTermination(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        redis.close();
    }
}
