package dev.keyline.benchmarks;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The reference upstream for the JSON scenarios: Debian's nginx (one worker, keep-alive, no access log) answering
 * every {@code POST /v1/messages} with the fast upstream's fixed message. A server in C outside the harness's JVM,
 * so the direct path measures the machine, not the harness.
 */
final class NginxUpstream implements AutoCloseable {

    private final Process process;
    private final int port;

    private NginxUpstream(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /** @return a running nginx, or empty when nginx is not installed (apt-get install nginx-light) */
    static Optional<NginxUpstream> start(Path work) throws IOException, InterruptedException {
        Optional<Path> nginx = Stream.of("/usr/sbin/nginx", "/usr/bin/nginx")
                .map(Path::of)
                .filter(Files::isExecutable)
                .findFirst();
        if (nginx.isEmpty()) {
            return Optional.empty();
        }
        Path dir = Files.createDirectories(work.resolve("nginx"));
        Files.createDirectories(dir.resolve("body"));
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        String answer = new String(FastUpstream.MESSAGE, StandardCharsets.UTF_8).replace("'", "\\'");
        Files.writeString(dir.resolve("nginx.conf"), """
                worker_processes 1;
                daemon off;
                error_log %1$s/error.log warn;
                pid %1$s/nginx.pid;
                events { worker_connections 16384; }
                http {
                  access_log off;
                  keepalive_requests 10000000;
                  keepalive_timeout 300s;
                  client_body_temp_path %1$s/body;
                  server {
                    listen 127.0.0.1:%2$d;
                    location = /v1/messages {
                      default_type application/json;
                      return 200 '%3$s';
                    }
                  }
                }
                """.formatted(dir, port, answer));
        Process process = new ProcessBuilder(
                        nginx.get().toString(), "-c", dir.resolve("nginx.conf").toString(), "-p", dir.toString())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("nginx.out").toFile())
                .start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            try (Socket probe = new Socket()) {
                probe.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return Optional.of(new NginxUpstream(process, port));
            } catch (IOException notYet) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("nginx did not start: see " + dir.resolve("nginx.out"));
                }
                Thread.sleep(50);
            }
        }
        process.destroy();
        throw new IllegalStateException("nginx did not listen within 10 s");
    }

    String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    /** @return what {@code nginx -v} says of itself */
    static String version() {
        try {
            Process v =
                    new ProcessBuilder("nginx", "-v").redirectErrorStream(true).start();
            String out = new String(v.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            v.waitFor(5, TimeUnit.SECONDS);
            return out.replace("nginx version: ", "");
        } catch (IOException | InterruptedException e) {
            return "nginx";
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        process.waitFor(5, TimeUnit.SECONDS);
    }
}
