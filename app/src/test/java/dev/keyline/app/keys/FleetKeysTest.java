package dev.keyline.app.keys;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.keyline.adapters.database.testing.LocalPostgres;
import dev.keyline.adapters.state.testing.LocalRedis;
import dev.keyline.app.KeylineServer;
import dev.keyline.app.config.ConfigLoader;
import dev.keyline.app.operations.LoopUpstream;
import dev.keyline.domain.testing.TestConditions;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Two replicas sharing Redis and PostgreSQL (Debian's servers, started for the test): a key with a budget for five
 * requests gets five across the fleet, not five per replica; and PostgreSQL stopped mid-run loses no spend: the
 * entries are held, counted in the metrics, and written when it returns.
 */
class FleetKeysTest {

    private static final String MASTER = "sk-master-fleet-keys";
    private static final String PLAIN = """
            {"model":"g","max_tokens":64,"messages":[{"role":"user","content":"hi"}]}""";
    /** 11 input and 4 output tokens at these prices: $0.00031 a request. */
    private static final String CONFIG = """
            model_list:
              - model_name: g
                litellm_params: {model: anthropic/m, api_base: "%1$s/a", api_key: os.environ/KEY,
                                 input_cost_per_token: 1e-5, output_cost_per_token: 5e-5}
                model_info: {id: a}
            router_settings:
              redis_url: "%2$s"
              # A loaded test machine can keep Redis past the default 0.1 s, and a replica then counts on its own.
              redis_timeout: 5
            general_settings:
              master_key: os.environ/MASTER
              database_url: os.environ/DATABASE_URL
            """;

    @RegisterExtension
    static WireMockExtension upstream = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"))
            .build();

    private static final List<String> logged = Collections.synchronizedList(new ArrayList<>());
    private static final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            StringWriter text = new StringWriter();
            text.append(String.valueOf(record.getMessage()));
            if (record.getParameters() != null) {
                for (Object parameter : record.getParameters()) {
                    text.append(' ').append(String.valueOf(parameter));
                }
            }
            if (record.getThrown() != null) {
                record.getThrown().printStackTrace(new PrintWriter(text));
            }
            logged.add(text.toString());
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    };
    // One fleet for both tests: starting two replicas, Redis and a PostgreSQL cluster is most of their time.
    private static LocalRedis redis;
    private static LocalPostgres postgres;
    private static final List<KeylineServer> replicas = new ArrayList<>();

    @BeforeAll
    static void start() {
        assumeTrue(LocalRedis.binary().isPresent(), LocalRedis.MISSING);
        assumeTrue(LocalPostgres.binaries().isPresent(), LocalPostgres.MISSING);
        Logger.getLogger("").addHandler(capture);
        redis = LocalRedis.start();
        postgres = LocalPostgres.start();
        String url = postgres.newDatabase();
        for (int i = 0; i < 2; i++) {
            replicas.add(KeylineServer.start(
                    new ConfigLoader(Map.of("KEY", "sk-fleet-deployment", "MASTER", MASTER, "DATABASE_URL", url))
                            .parse(CONFIG.formatted(upstream.baseUrl(), redis.url()), "fleet.yaml"),
                    "127.0.0.1",
                    0,
                    InstantSource.system()));
        }
    }

    @AfterAll
    static void stop() {
        Logger.getLogger("").removeHandler(capture);
        replicas.forEach(KeylineServer::close);
        if (postgres != null) {
            postgres.close();
        }
        if (redis != null) {
            redis.close();
        }
    }

    @BeforeEach
    void stubs() {
        // The extension clears its stubs before each test.
        LoopUpstream.stub(upstream);
    }

    private static KeyedGateway replica(int i) {
        return new KeyedGateway(replicas.get(i % 2).baseUrl(), MASTER);
    }

    @Test
    void aBudgetForFiveRequestsGivesFiveAcrossTwoReplicas() throws Exception {
        String key = replica(0)
                .generate("{\"key_alias\":\"fleet-five\",\"max_budget\":0.00155}")
                .get("key")
                .asText();
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            statuses.add(replica(i).messages(key, PLAIN).statusCode());
        }
        assertEquals(List.of(200, 200, 200, 200, 200, 402, 402, 402), statuses);
    }

    @Test
    void postgresStoppedMidRunLosesNoSpendLogEntry() throws Exception {
        String key =
                replica(0).generate("{\"key_alias\":\"fleet-log\"}").get("key").asText();
        String token = KeyedGateway.json(replica(0).get("/key/info?key=" + key, MASTER))
                .get("key")
                .asText();
        for (int i = 0; i < 2; i++) {
            assertEquals(200, replica(i).messages(key, PLAIN).statusCode(), "each replica knows the key");
        }
        TestConditions.await(Duration.ofSeconds(10), () -> rows(token), n -> n == 2);

        postgres.stop();
        for (int i = 0; i < 6; i++) {
            HttpResponse<String> reply = replica(i).messages(key, PLAIN);
            assertEquals(200, reply.statusCode(), "served while the database is away: " + reply.body());
        }
        String held = TestConditions.await(
                Duration.ofSeconds(15), () -> metrics(0), text -> text.contains("keyline_spend_log_pending 3.0"));
        assertTrue(held.contains("keyline_spend_log_pending 3.0"), "three entries held on this replica");

        postgres.restart();
        TestConditions.await(Duration.ofSeconds(30), () -> rows(token), n -> n == 8);
        TestConditions.await(
                Duration.ofSeconds(15), () -> metrics(1), t -> t.contains("keyline_spend_log_pending 0.0"));
        assertTrue(metrics(0).contains("keyline_spend_log_dropped_total 0.0"), "nothing given up");
        assertTrue(logged.stream().anyMatch(line -> line.contains("the database is away")), "the outage is logged");
        for (String line : List.copyOf(logged)) {
            assertTrue(!line.contains(key) && !line.contains(token), "a log line holds the key or its hash: " + line);
        }
    }

    private static int rows(String token) {
        try {
            HttpResponse<String> reply = replica(0).get("/spend/logs?api_key=" + token, MASTER);
            return reply.statusCode() == 200 ? KeyedGateway.json(reply).size() : -1;
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static String metrics(int i) {
        try {
            return replica(i).get("/metrics", MASTER).body();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
