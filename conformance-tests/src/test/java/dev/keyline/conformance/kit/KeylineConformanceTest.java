package dev.keyline.conformance.kit;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keyline.conformance.GatewayProcessAccess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/** The kit against Keyline as users run it: the built jar, its own process, decoy ANTHROPIC_* variables set. */
class KeylineConformanceTest {

    static final long SEED = 20_261_124L;
    static final int CASES = 20;

    @TempDir
    static Path dir;

    private static KitPool pool;
    private static AutoCloseable keyline;
    private static Kit kit;
    private static ErrorKit errorKit;

    @BeforeAll
    static void launch() throws Exception {
        pool = new KitPool();
        Path config = dir.resolve("keyline.yaml");
        Files.writeString(config, pool.keylineConfig());
        GatewayProcessAccess.Launched launched = GatewayProcessAccess.launch(config, pool.environment());
        keyline = launched.process();
        kit = new Kit(new GatewayClient(launched.baseUrl(), pool), pool);
        errorKit = new ErrorKit(launched.baseUrl());
    }

    @AfterAll
    static void stop() throws Exception {
        keyline.close();
        pool.close();
    }

    @TestFactory
    Stream<DynamicTest> keylineHoldsEveryProperty() {
        Stream<DynamicTest> loops = Arrays.stream(KitProperty.values()).map(property ->
                DynamicTest.dynamicTest(property.id, () -> assertPassed(kit.judge(property, SEED, CASES))));
        Stream<DynamicTest> errors = Arrays.stream(ErrorKit.ErrorProperty.values()).map(property ->
                DynamicTest.dynamicTest(property.id, () -> assertPassed(errorKit.judge(property, SEED, CASES))));
        return Stream.concat(loops, errors);
    }

    private static void assertPassed(Kit.Verdict verdict) {
        assertTrue(verdict.passed(), verdict.property() + " failed: " + verdict.counterexample());
    }
}
