package dev.keyline.app;

import dev.keyline.adapters.frontdoors.GatewayRouting;
import dev.keyline.adapters.frontdoors.server.ProxyFriendlyHttp1Selector;
import dev.keyline.app.config.GatewayConfig;
import dev.keyline.app.tls.CertificateReloader;
import dev.keyline.app.tls.ServerCertificate;
import dev.keyline.ports.in.KeyAdminUseCase;
import dev.keyline.ports.out.ProviderClient;
import io.helidon.common.socket.SocketOptions;
import io.helidon.http.DirectHandler.EventType;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.http.DirectHandlers;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;

/** A running gateway: the adapters and services wired from one configuration, behind one Helidon server. */
public final class KeylineServer implements AutoCloseable {

    /** The version of this build, from the jar's manifest; {@code dev} when run from classes. */
    public static final String VERSION =
            Objects.requireNonNullElse(KeylineServer.class.getPackage().getImplementationVersion(), "dev");

    /**
     * How long a stopping gateway (SIGTERM) lets requests in flight finish, streams included, before it closes them;
     * under Docker's default 10 s between SIGTERM and SIGKILL.
     */
    static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(8);

    private static final Duration DRAIN_POLL = Duration.ofMillis(50);
    private static final System.Logger LOG = System.getLogger(KeylineServer.class.getName());
    /** How often the front door's certificate files are checked for a renewal. */
    private static final Duration RELOAD_CHECK = Duration.ofSeconds(1);

    private static final HeaderName VERSION_HEADER = HeaderNames.create("x-keyline-version");

    private final WebServer server;
    private final String host;
    private final GatewayWiring wiring;
    private final AtomicInteger inFlight;
    private final Optional<CertificateReloader> reloader;

    private KeylineServer(WebServer server, String host, GatewayWiring wiring, Optional<CertificateReloader> reloader) {
        this.server = server;
        this.host = host;
        this.wiring = wiring;
        this.inFlight = wiring.inFlight();
        this.reloader = reloader;
    }

    /**
     * Wires and starts a gateway.
     *
     * @param config the loaded configuration
     * @param host   the address to bind, e.g. {@code 127.0.0.1}
     * @param port   the port, or 0 for any free one
     * @param clock  the time source
     * @return the running gateway
     */
    public static KeylineServer start(GatewayConfig config, String host, int port, InstantSource clock) {
        return start(config, host, port, clock, UnaryOperator.identity());
    }

    /**
     * Wires and starts a gateway whose provider adapters are wrapped, so the conformance kit can prove its properties
     * fail on a gateway that misbehaves (a "mutant"). Production code uses {@link #start(GatewayConfig, String, int,
     * InstantSource)}.
     *
     * @param decorate wraps each real provider adapter
     */
    public static KeylineServer start(
            GatewayConfig config, String host, int port, InstantSource clock, UnaryOperator<ProviderClient> decorate) {
        Objects.requireNonNull(config, "'config' must not be null");
        // What check refuses, serve refuses: the same preflight, before the port is even tried.
        Preflight preflight = Preflight.of(config);
        // Helidon reports a failed bind in its log and carries on with no listener; find out before, and after.
        ensureFree(host, port);
        Optional<ServerCertificate> certificate = preflight.certificate();
        GatewayWiring wiring = GatewayWiring.of(config, preflight, clock, decorate);
        WebServer server = server(host, port, config, clock, wiring, certificate);
        if (!server.isRunning() || server.port() < 0) {
            server.stop();
            wiring.close();
            throw new StartupException("could not listen on " + host + ":" + port + "; is another process using it?"
                    + " Pass --port to choose another");
        }
        // A renewed certificate is picked up without a restart: new connections get it, open ones keep theirs.
        Optional<CertificateReloader> reloader = certificate.map(first -> new CertificateReloader(
                config.serverTls().orElseThrow(), first, next -> server.reloadTls(next.tls()), RELOAD_CHECK));
        return new KeylineServer(server, host, wiring, reloader);
    }

    private static WebServer server(
            String host,
            int port,
            GatewayConfig config,
            InstantSource clock,
            GatewayWiring wiring,
            Optional<ServerCertificate> certificate) {
        long maxBytes = GatewayWiring.MAX_REQUEST_BYTES;
        DirectHandlers.Builder direct = DirectHandlers.builder();
        Arrays.stream(EventType.values())
                .forEach(type -> direct.addHandler(type, GatewayRouting.transportErrors(maxBytes)));
        AtomicInteger inFlight = wiring.inFlight();
        WebServerConfig.Builder builder = WebServer.builder();
        certificate.ifPresent(c -> builder.tls(c.tls()));
        return builder.host(host)
                .port(port)
                .maxPayloadSize(maxBytes)
                // The gateway drains its own requests on SIGTERM (close()); Helidon's hook would cut them.
                .shutdownHook(false)
                // Each relayed SSE event is its own small write; Nagle would hold it for the previous one's ACK.
                .connectionOptions(SocketOptions.builder().tcpNoDelay(true).build())
                // HTTP/1.0 served and Connection: close honoured, as proxies in front of a gateway expect.
                .addConnectionSelector(ProxyFriendlyHttp1Selector.create())
                .directHandlers(direct.build())
                .routing(routing -> GatewayRouting.configure(
                        routing.addFilter((chain, req, res) -> {
                            // Which Keyline answered; operators and the conformance report read it. No secret in it.
                            res.header(VERSION_HEADER, VERSION);
                            // A streamed answer is relayed inside proceed(), so this counts it until its end.
                            inFlight.incrementAndGet();
                            try {
                                chain.proceed();
                            } finally {
                                inFlight.decrementAndGet();
                            }
                        }),
                        wiring.useCases(),
                        clock,
                        config.masterKey(),
                        wiring.mapper(),
                        wiring.operations()))
                .build()
                .start();
    }

    /** Lets the requests in flight finish, streams included, for at most {@link #SHUTDOWN_GRACE}. */
    private void drain() {
        int open = inFlight.get();
        if (open == 0) {
            return;
        }
        LOG.log(
                Level.INFO,
                "stopping: waiting up to {0} s for {1} request(s) in flight",
                SHUTDOWN_GRACE.toSeconds(),
                open);
        long deadline = System.nanoTime() + SHUTDOWN_GRACE.toNanos();
        while (inFlight.get() > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(DRAIN_POLL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        if (inFlight.get() > 0) {
            LOG.log(
                    Level.WARNING,
                    "stopping with {0} request(s) still in flight after {1} s",
                    inFlight.get(),
                    SHUTDOWN_GRACE.toSeconds());
        }
    }

    /** @throws StartupException when the address cannot be bound: in use, not this machine's, or not allowed */
    static void ensureFree(String host, int port) {
        if (port == 0) {
            return;
        }
        try (ServerSocket probe = new ServerSocket()) {
            probe.setReuseAddress(true);
            probe.bind(new InetSocketAddress(host, port));
        } catch (BindException e) {
            throw new StartupException(
                    port < 1024 && "Permission denied".equals(e.getMessage())
                            ? "port " + port
                                    + " needs privileges this process does not have; pass --port with 1024 or more"
                            : "port " + port + " on " + host + " is in use"
                                    // The likeliest other process on 4000 is a LiteLLM proxy being replaced.
                                    + (port == 4000 ? " (LiteLLM's default is 4000 too)" : "")
                                    + "; stop the other process or pass --port");
        } catch (IOException | IllegalArgumentException | SecurityException e) {
            throw new StartupException("cannot listen on " + host + ":" + port + " ("
                    + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")");
        }
    }

    public int port() {
        return server.port();
    }

    /** @return where virtual keys are kept, for the start-up line; no password */
    public String keysDescription() {
        return wiring.keys().describe();
    }

    /** @return the operator's management of keys, teams and spend, when keys are on */
    public Optional<KeyAdminUseCase> keyAdmin() {
        return wiring.keys().admin();
    }

    /** @return the base URL clients use, e.g. {@code http://127.0.0.1:4000} */
    public String baseUrl() {
        String shown = host.equals("0.0.0.0") ? "127.0.0.1" : host;
        return (reloader.isPresent() ? "https://" : "http://") + (shown.contains(":") ? "[" + shown + "]" : shown) + ":"
                + port();
    }

    @Override
    public void close() {
        reloader.ifPresent(CertificateReloader::close);
        drain();
        try {
            server.stop();
        } finally {
            // The routing state, then the trace exporter: the last requests' spans leave before the process does.
            wiring.close();
        }
    }
}
