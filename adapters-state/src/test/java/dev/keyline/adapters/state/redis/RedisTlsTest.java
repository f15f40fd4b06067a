package dev.keyline.adapters.state.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keyline.adapters.state.testing.LocalRedis;
import dev.keyline.ports.testing.TestCertificates;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code rediss://} against Debian's redis-server speaking TLS with a certificate from a test CA: with that CA as
 * {@code redis_ssl_ca_certs} the link is up and carries commands; with another CA, or the JVM's own, the certificate
 * is refused, no connection is made, and one ERROR line says why.
 */
class RedisTlsTest {

    @TempDir
    static Path dir;

    private static LocalRedis redis;
    private final List<LogRecord> lines = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        TestCertificates.Issued ca = TestCertificates.authority("Keyline Redis CA");
        TestCertificates.Issued server = ca.issueServer("127.0.0.1");
        ca.writeCertificate(dir.resolve("ca.pem"));
        TestCertificates.authority("Another CA").writeCertificate(dir.resolve("other-ca.pem"));
        redis = LocalRedis.startWithTls(
                server.writeCertificate(dir.resolve("redis.pem")),
                server.writeKey(dir.resolve("redis.key")),
                dir.resolve("ca.pem"));
    }

    @AfterAll
    static void stop() {
        redis.close();
    }

    @Test
    void withItsCa_theLinkIsUp_andCarriesCommands() {
        RedisEndpoint endpoint = endpoint().trusting(dir.resolve("ca.pem"));

        try (RedisLink link = RedisLink.open(endpoint, Duration.ofSeconds(30))) {
            assertTrue(link.isUp(), "up over TLS");
            link.attemptRun(() -> link.redis().set("keyline-tls-test", "over tls"));
            assertEquals(
                    Optional.of("over tls"), link.attempt(() -> link.redis().get("keyline-tls-test")));
        }
    }

    @Test
    void withAnotherCa_theCertificateIsRefused_inOneClearLine() {
        assertRefused(endpoint().trusting(dir.resolve("other-ca.pem")), "other-ca.pem");
    }

    @Test
    void withTheJvmsCas_aPrivateCertificateIsRefused_andTheLineSaysWhatToSet() {
        assertRefused(endpoint(), "redis_ssl_ca_certs");
    }

    private void assertRefused(RedisEndpoint endpoint, String named) {
        Logger logger = Logger.getLogger(RedisLink.class.getName());
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                lines.add(record);
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        logger.addHandler(capture);
        try (RedisLink link = RedisLink.open(endpoint, Duration.ofSeconds(30))) {
            assertFalse(link.isUp());
        } finally {
            logger.removeHandler(capture);
        }
        List<LogRecord> errors =
                lines.stream().filter(r -> r.getLevel() == Level.SEVERE).toList();
        assertEquals(
                1,
                errors.size(),
                lines.stream().map(LogRecord::getMessage).toList().toString());
        String line = java.text.MessageFormat.format(
                errors.getFirst().getMessage(), errors.getFirst().getParameters());
        assertTrue(line.contains("does not trust") && line.contains(named), line);
        assertFalse(line.contains("\n"), line);
    }

    private static RedisEndpoint endpoint() {
        return RedisEndpoint.fromUrl(redis.tlsUrl(), Duration.ofSeconds(2), "tls-test");
    }
}
