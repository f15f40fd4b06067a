package dev.keyline.conformance;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.keyline.adapters.state.testing.LocalRedis;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two launched Keyline replicas (the built jar, as users run it) sharing one real redis-server, in front of two
 * loopback upstreams: a rest one replica decides is kept by the other, an {@code rpm} holds for the fleet, and
 * Redis dying mid-run costs no request.
 */
class FleetTest {

    private static final String GATEWAY_KEY = "sk-fleet-gateway";
    private static final String KEY_A = "sk-fleet-deployment-a";
    private static final String KEY_B = "sk-fleet-deployment-b";
    private static final String MESSAGE = """
            {"id":"msg_fleet","type":"message","role":"assistant","model":"m",
             "content":[{"type":"text","text":"hello from the fleet"}],
             "stop_reason":"end_turn","stop_sequence":null,"usage":{"input_tokens":5,"output_tokens":3}}""";

    @TempDir
    Path dir;

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private LocalRedis redis;
    private WireMockServer a;
    private WireMockServer b;
    private final List<LaunchedGateway> replicas = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        assumeTrue(LocalRedis.binary().isPresent(), LocalRedis.MISSING);
        redis = LocalRedis.start();
        a = upstream();
        b = upstream();
        String yaml = """
                model_list:
                  - model_name: g
                    litellm_params: {model: anthropic/m, api_base: "%s", api_key: os.environ/KEY_A}
                    model_info: {id: a}
                  - model_name: g
                    litellm_params: {model: anthropic/m, api_base: "%s", api_key: os.environ/KEY_B}
                    model_info: {id: b}
                  - model_name: limited
                    litellm_params: {model: anthropic/m, api_base: "%s", api_key: os.environ/KEY_B, rpm: 60}
                    model_info: {id: b-limited}
                router_settings:
                  cooldown_time: 30
                  num_retries: 2
                  redis_url: %s
                  # 200 concurrent requests on 2 shared cores can keep a Redis answer past the default 0.1 s,
                  # and a replica that stops waiting rightly counts on its own (an over-admission the rpm
                  # test would then see); this test is about sharing, so it waits longer.
                  redis_timeout: 0.5
                general_settings:
                  master_key: os.environ/GATEWAY_KEY
                """.formatted(a.baseUrl(), b.baseUrl(), b.baseUrl() + "/limited", redis.url());
        Map<String, String> env = Map.of("KEY_A", KEY_A, "KEY_B", KEY_B, "GATEWAY_KEY", GATEWAY_KEY);
        for (int i = 0; i < 2; i++) {
            replicas.add(LaunchedGateway.start(dir, yaml, env));
        }
    }

    private static WireMockServer upstream() {
        WireMockServer server =
                new WireMockServer(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"));
        server.start();
        server.stubFor(post(urlPathEqualTo("/v1/messages"))
                .willReturn(aResponse()
                        .withHeader("content-type", "application/json")
                        .withBody(MESSAGE)));
        server.stubFor(post(urlPathEqualTo("/limited/v1/messages"))
                .willReturn(aResponse()
                        .withHeader("content-type", "application/json")
                        .withBody(MESSAGE)));
        return server;
    }

    @AfterEach
    void stop() throws Exception {
        for (LaunchedGateway replica : replicas) {
            replica.close();
        }
        for (WireMockServer server : new WireMockServer[] {a, b}) {
            if (server != null) {
                server.stop();
            }
        }
        if (redis != null) {
            redis.close();
        }
    }

    @Test
    void aRestDecidedByOneReplica_isKeptByTheOther_untilItEnds() throws Exception {
        a.stubFor(post(urlPathEqualTo("/v1/messages"))
                .willReturn(aResponse()
                        .withStatus(429)
                        .withHeader("retry-after", "30")
                        .withBody("{\"type\":\"error\",\"error\":{\"type\":\"rate_limit_error\",\"message\":\"slow"
                                + " down\"}}")));
        // Replica 0 meets the failing deployment (the shuffle reaches it within a few requests) and rests it.
        for (int i = 0;
                i < 40
                        && a.countRequestsMatching(postRequestedFor(urlPathEqualTo("/v1/messages"))
                                                .build())
                                        .getCount()
                                == 0;
                i++) {
            assertEquals(200, send(replicas.get(0), "g").statusCode(), "the retry went to b");
        }
        int callsToA = callsTo(a, "/v1/messages");
        assertEquals(1, callsToA, "replica 0 met deployment a once");

        Map<String, Integer> statuses = new TreeMap<>();
        int[] perReplica = new int[2];
        for (int i = 0; i < 200; i++) {
            int replica = i % 2;
            HttpResponse<String> response = send(replicas.get(replica), "g");
            statuses.merge(replica + ":" + response.statusCode(), 1, Integer::sum);
            perReplica[replica]++;
        }
        System.out.printf(
                "fleet cooldown: 200 requests over 2 replicas, statuses %s; deployment a called %d time(s) in all,"
                        + " b %d%n",
                statuses, callsTo(a, "/v1/messages"), callsTo(b, "/v1/messages"));
        assertEquals(Map.of("0:200", 100, "1:200", 100), statuses);
        assertEquals(callsToA, callsTo(a, "/v1/messages"), "no replica called the resting deployment");

        HttpResponse<String> cooldowns = get(replicas.get(1), "/cooldowns");
        assertTrue(
                cooldowns.body().contains("\"a\"") && cooldowns.body().contains("429"),
                "replica 1 lists replica 0's rest with its reason: " + cooldowns.body());
    }

    @Test
    void rpm_holdsAcrossBothReplicas_under200ConcurrentRequests() throws Exception {
        awaitEarlyInAMinute();
        long firstMinute = Instant.now().getEpochSecond() / 60;
        AtomicInteger served = new AtomicInteger();
        Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
        List<String> retryAfters = new ArrayList<>();
        try (ExecutorService clients = Executors.newFixedThreadPool(200)) {
            List<Future<?>> calls = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                LaunchedGateway replica = replicas.get(i % 2);
                calls.add(clients.submit(() -> {
                    HttpResponse<String> response = send(replica, "limited");
                    statuses.computeIfAbsent(response.statusCode(), s -> new AtomicInteger())
                            .incrementAndGet();
                    if (response.statusCode() == 200) {
                        served.incrementAndGet();
                    } else if (response.statusCode() == 429) {
                        assertTrue(response.body().contains("\"rate_limit_error\""), response.body());
                        synchronized (retryAfters) {
                            retryAfters.add(
                                    response.headers().firstValue("retry-after").orElse("none"));
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> call : calls) {
                call.get();
            }
        }
        int upstreamCalls = callsTo(b, "/limited/v1/messages");
        boolean oneMinute = Instant.now().getEpochSecond() / 60 == firstMinute;
        System.out.printf(
                "fleet rpm: 200 concurrent requests over 2 replicas against rpm 60%s: statuses %s, upstream called"
                        + " %d times%n",
                oneMinute ? "" : " (across a minute's end)", statuses, upstreamCalls);
        assertEquals(served.get(), upstreamCalls, "every admitted request, and no other, reached the upstream");
        assertEquals(200 - served.get(), statuses.get(429).get());
        if (oneMinute) {
            assertEquals(60, served.get());
        } else {
            // On a loaded machine the burst can outlast its minute; the limit is per minute, so each of the two
            // windows admits at most 60, and the first is full before the second opens.
            assertTrue(served.get() >= 60 && served.get() <= 120, "served " + served.get());
        }
        assertTrue(retryAfters.stream().noneMatch("none"::equals), "every 429 says when to come back");
    }

    @Test
    void redisKilledMidRun_costsNoRequest_andTheFleetSharesAgainWhenItReturns() throws Exception {
        AtomicInteger failed = new AtomicInteger();
        AtomicInteger done = new AtomicInteger();
        try (ExecutorService clients = Executors.newFixedThreadPool(4)) {
            List<Future<?>> load = new ArrayList<>();
            for (int c = 0; c < 4; c++) {
                int client = c;
                load.add(clients.submit(() -> {
                    for (int i = 0; i < 150; i++) {
                        HttpResponse<String> response = send(replicas.get((client + i) % 2), "g");
                        if (response.statusCode() != 200) {
                            failed.incrementAndGet();
                        }
                        done.incrementAndGet();
                    }
                    return null;
                }));
            }
            awaitTrue(() -> done.get() >= 150, Duration.ofSeconds(30));
            redis.kill();
            for (Future<?> client : load) {
                client.get();
            }
        }
        System.out.printf("fleet without Redis: %d requests, %d failed%n", done.get(), failed.get());
        assertEquals(600, done.get());
        assertEquals(0, failed.get(), "no request failed because Redis died");
        for (LaunchedGateway replica : replicas) {
            // Log lines are batched: wait for the line before counting it.
            awaitTrue(() -> count(replica.output(), "lost Redis") >= 1, Duration.ofSeconds(10));
            assertEquals(1, count(replica.output(), "lost Redis"), "the loss is logged once: " + replica.output());
        }

        redis.restart();
        awaitTrue(() -> replicas.stream().allMatch(r -> r.output().contains("is back")), Duration.ofSeconds(10));
        a.stubFor(post(urlPathEqualTo("/v1/messages"))
                .willReturn(aResponse()
                        .withStatus(529)
                        .withBody("{\"type\":\"error\",\"error\":{\"type\":"
                                + "\"overloaded_error\",\"message\":\"busy\"}}")));
        int before = callsTo(a, "/v1/messages");
        for (int i = 0; i < 40 && callsTo(a, "/v1/messages") == before; i++) {
            send(replicas.get(0), "g");
        }
        awaitTrue(
                () -> {
                    try {
                        return get(replicas.get(1), "/cooldowns").body().contains("\"a\"");
                    } catch (IOException | InterruptedException e) {
                        return false;
                    }
                },
                Duration.ofSeconds(5));
    }

    private HttpResponse<String> send(LaunchedGateway replica, String model) throws IOException, InterruptedException {
        String body = "{\"model\":\"" + model + "\",\"max_tokens\":16,\"messages\":[{\"role\":\"user\",\"content\":"
                + "\"hi\"}]}";
        return http.send(
                HttpRequest.newBuilder(URI.create(replica.baseUrl() + "/v1/messages"))
                        .timeout(Duration.ofSeconds(30))
                        .header("x-api-key", GATEWAY_KEY)
                        .header("content-type", "application/json")
                        .header("anthropic-version", "2023-06-01")
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(LaunchedGateway replica, String path) throws IOException, InterruptedException {
        return http.send(
                HttpRequest.newBuilder(URI.create(replica.baseUrl() + path))
                        .timeout(Duration.ofSeconds(10))
                        .header("x-api-key", GATEWAY_KEY)
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static int callsTo(WireMockServer server, String path) {
        return server.countRequestsMatching(
                        postRequestedFor(urlPathEqualTo(path)).build())
                .getCount();
    }

    private static int count(String text, String part) {
        int count = 0;
        for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + 1)) {
            count++;
        }
        return count;
    }

    /** An rpm window is a clock minute: start early in one so the run does not straddle two. */
    private static void awaitEarlyInAMinute() throws InterruptedException {
        int second = LocalTime.now().getSecond();
        if (second > 45) {
            Thread.sleep((61 - second) * 1000L);
        }
    }

    private static void awaitTrue(BooleanSupplier condition, Duration within) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "not true within " + within);
            Thread.sleep(20);
        }
    }
}
