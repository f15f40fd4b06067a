package dev.keyline.adapters.state.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A real redis-server (Debian's package) on a free loopback port, for tests: no persistence, gone when closed. It can
 * be killed and started again on the same port, or frozen (SIGSTOP) to play a Redis that hangs.
 */
public final class LocalRedis implements AutoCloseable {

    private static final Duration READY_WITHIN = Duration.ofSeconds(10);

    private final Path binary;
    private final int port;
    private Process process;
    private int tlsPort;
    private List<String> tlsArguments = List.of();

    private LocalRedis(Path binary, int port) {
        this.binary = binary;
        this.port = port;
    }

    /** @return where redis-server is, if it is installed */
    public static Optional<Path> binary() {
        for (String dir : List.of("/usr/bin", "/usr/local/bin", "/usr/sbin")) {
            Path candidate = Path.of(dir, "redis-server");
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /** The reason tests give when they cannot run. */
    public static final String MISSING =
            "redis-server is not installed (apt-get install -y redis-server; ./keyline test installs it)";

    private static LocalRedis shared;

    /**
     * @return one server for every test of this JVM that needs a Redis and not its lifecycle (each test keeps to
     *         keys of its own); stopped when the JVM exits
     */
    public static synchronized LocalRedis shared() {
        if (shared == null) {
            shared = start();
            Runtime.getRuntime().addShutdownHook(new Thread(shared::close, "local-redis-stop"));
        }
        return shared;
    }

    public static LocalRedis start() {
        Path binary = binary().orElseThrow(() -> new IllegalStateException(MISSING));
        LocalRedis redis = new LocalRedis(binary, freePort());
        redis.startProcess();
        return redis;
    }

    /**
     * A server that also speaks TLS on a second port, with this certificate and key (PEM files); clients are not
     * asked for certificates of their own. Its plain port stays, for the readiness check.
     */
    public static LocalRedis startWithTls(Path certificate, Path key, Path authority) {
        Path binary = binary().orElseThrow(() -> new IllegalStateException(MISSING));
        LocalRedis redis = new LocalRedis(binary, freePort());
        redis.tlsPort = freePort();
        redis.tlsArguments = List.of(
                "--tls-port",
                Integer.toString(redis.tlsPort),
                "--tls-cert-file",
                certificate.toString(),
                "--tls-key-file",
                key.toString(),
                "--tls-ca-cert-file",
                authority.toString(),
                "--tls-auth-clients",
                "no");
        redis.startProcess();
        return redis;
    }

    /** @return the TLS address, {@code rediss://127.0.0.1:port}, of a server started with TLS */
    public String tlsUrl() {
        if (tlsPort == 0) {
            throw new IllegalStateException("this redis-server was started without TLS");
        }
        return "rediss://127.0.0.1:" + tlsPort;
    }

    public int port() {
        return port;
    }

    public String url() {
        return "redis://127.0.0.1:" + port;
    }

    /** Kills the server at once, as a crash would. */
    public void kill() {
        if (process != null) {
            process.destroyForcibly();
            try {
                process.waitFor(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            process = null;
        }
    }

    /** Starts it again on the same port, empty. */
    public void restart() {
        kill();
        startProcess();
    }

    /** Freezes the process: connections stay open, nothing answers. */
    public void freeze() {
        signal("STOP");
    }

    public void thaw() {
        signal("CONT");
    }

    private void signal(String name) {
        try {
            new ProcessBuilder("kill", "-" + name, Long.toString(process.pid()))
                    .start()
                    .waitFor(5, TimeUnit.SECONDS);
        } catch (IOException e) {
            throw new IllegalStateException("could not signal redis-server", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void startProcess() {
        List<String> command = new ArrayList<>(List.of(
                binary.toString(),
                "--port",
                Integer.toString(port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--daemonize",
                "no",
                "--loglevel",
                "warning"));
        command.addAll(tlsArguments);
        try {
            process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
        } catch (IOException e) {
            throw new IllegalStateException("could not start redis-server", e);
        }
        long deadline = System.nanoTime() + READY_WITHIN.toNanos();
        while (System.nanoTime() < deadline) {
            if (answersPing()) {
                return;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        kill();
        throw new IllegalStateException("redis-server did not answer on port " + port + " within " + READY_WITHIN);
    }

    private boolean answersPing() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
            socket.setSoTimeout(500);
            OutputStream out = socket.getOutputStream();
            out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            byte[] answer = in.readNBytes(7);
            return new String(answer, StandardCharsets.US_ASCII).equals("+PONG\r\n");
        } catch (IOException e) {
            return false;
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress("127.0.0.1", 0));
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("no free port", e);
        }
    }

    @Override
    public void close() {
        thawQuietly();
        kill();
    }

    private void thawQuietly() {
        if (process != null && process.isAlive()) {
            signal("CONT");
        }
    }
}
