package dev.keyline.adapters.database.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * A real PostgreSQL (Debian's server) in a throwaway cluster on a free loopback port, for tests: no fsync, trust
 * authentication on loopback, gone with its files when closed. It can be stopped and started again on the same port
 * and files, as an outage would. As root (these machines), the server runs as the {@code postgres} user, which
 * PostgreSQL insists on.
 */
public final class LocalPostgres implements AutoCloseable {

    /** The reason tests give when they cannot run. */
    public static final String MISSING =
            "PostgreSQL's server is not installed (apt-get install -y postgresql; ./keyline test installs it)";

    private static final Duration READY_WITHIN = Duration.ofSeconds(30);
    private static final String USER = "keyline";
    private static final AtomicInteger DATABASES = new AtomicInteger();

    private final Path bin;
    private final Path dir;
    private final int port;
    private Process process;

    private LocalPostgres(Path bin, Path dir, int port) {
        this.bin = bin;
        this.dir = dir;
        this.port = port;
    }

    /** @return the folder of PostgreSQL's server programs, if it is installed */
    public static Optional<Path> binaries() {
        for (String version : List.of("17", "16", "15", "14")) {
            Path candidate = Path.of("/usr/lib/postgresql", version, "bin");
            if (Files.isExecutable(candidate.resolve("postgres")) && Files.isExecutable(candidate.resolve("initdb"))) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    private static LocalPostgres shared;

    /** @return one server for every test of this JVM (each test uses a database of its own); stopped at exit */
    public static synchronized LocalPostgres shared() {
        if (shared == null) {
            shared = start();
            Runtime.getRuntime().addShutdownHook(new Thread(shared::close, "local-postgres-stop"));
        }
        return shared;
    }

    public static LocalPostgres start() {
        Path bin = binaries().orElseThrow(() -> new IllegalStateException(MISSING));
        try {
            Path dir = Files.createTempDirectory("keyline-pg-");
            LocalPostgres pg = new LocalPostgres(bin, dir, freePort());
            pg.initialise();
            pg.startProcess();
            return pg;
        } catch (IOException e) {
            throw new IllegalStateException("could not prepare a PostgreSQL cluster", e);
        }
    }

    private static boolean root() {
        return "root".equals(System.getProperty("user.name"));
    }

    /** A command run as the server's owner: postgres when we are root (setpriv execs, so signals reach it). */
    private List<String> asOwner(String... command) {
        List<String> full = new ArrayList<>();
        if (root()) {
            full.addAll(List.of("setpriv", "--reuid=postgres", "--regid=postgres", "--init-groups"));
        }
        full.addAll(List.of(command));
        return full;
    }

    private void initialise() throws IOException {
        if (root()) {
            run(List.of("chown", "postgres:postgres", dir.toString()));
        }
        run(asOwner(
                bin.resolve("initdb").toString(),
                "-D",
                dir.resolve("data").toString(),
                "-U",
                USER,
                "-A",
                "trust",
                "--no-sync",
                "--no-instructions",
                "-E",
                "UTF8"));
    }

    private static void run(List<String> command) throws IOException {
        try {
            Process p = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new IOException("failed: " + String.join(" ", command));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted: " + String.join(" ", command), e);
        }
    }

    private void startProcess() {
        try {
            process = new ProcessBuilder(asOwner(
                            bin.resolve("postgres").toString(),
                            "-D",
                            dir.resolve("data").toString(),
                            "-p",
                            Integer.toString(port),
                            "-c",
                            "listen_addresses=127.0.0.1",
                            "-c",
                            "unix_socket_directories=" + dir,
                            "-c",
                            "fsync=off",
                            "-c",
                            "synchronous_commit=off",
                            "-c",
                            "full_page_writes=off",
                            "-c",
                            "max_connections=60"))
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
        } catch (IOException e) {
            throw new IllegalStateException("could not start postgres", e);
        }
        long deadline = System.nanoTime() + READY_WITHIN.toNanos();
        while (System.nanoTime() < deadline && process.isAlive()) {
            try (Connection c = DriverManager.getConnection(jdbc("postgres"), USER, "")) {
                return;
            } catch (SQLException e) {
                try {
                    Thread.sleep(50);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        stop();
        throw new IllegalStateException(
                "postgres did not accept connections on port " + port + " within " + READY_WITHIN);
    }

    public int port() {
        return port;
    }

    private String jdbc(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    /** @return a {@code postgresql://} URL, as operators write it, of a new empty database */
    public String newDatabase() {
        String name = "keyline_" + ProcessHandle.current().pid() + "_" + DATABASES.incrementAndGet();
        try (Connection c = DriverManager.getConnection(jdbc("postgres"), USER, "");
                Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("could not create a test database", e);
        }
        return "postgresql://" + USER + "@127.0.0.1:" + port + "/" + name;
    }

    /** Stops the server as an operator would (fast shutdown); its files stay for {@link #restart}. */
    public void stop() {
        if (process == null) {
            return;
        }
        try {
            new ProcessBuilder("kill", "-INT", Long.toString(process.pid()))
                    .start()
                    .waitFor(5, TimeUnit.SECONDS);
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (IOException e) {
            process.destroyForcibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process = null;
    }

    /** Starts it again on the same port and files. */
    public void restart() {
        stop();
        startProcess();
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
        stop();
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // A temp folder left behind is harmless; the server is stopped.
        }
    }
}
