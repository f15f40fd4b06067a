package dev.keyline.ports.in;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.strings;

import java.util.Optional;
import java.util.SplittableRandom;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class RequestIdTest {

    /** The documented rule, as a regular expression; the record checks it with a loop. */
    private static final Pattern DOCUMENTED = Pattern.compile("[A-Za-z0-9_.:-]{1,64}");

    @Test
    void anOfferedId_isKeptExactlyWhenTheDocumentedRuleHolds() {
        qt().withFixedSeed(20261130L)
                .withExamples(2_000)
                // ',' to '{': the safe characters and a dozen unsafe ones between them, so both verdicts come up
                .forAll(strings().betweenCodePoints(',', '{').ofLengthBetween(0, 70))
                .checkAssert(text -> assertEquals(
                        DOCUMENTED.matcher(text).matches(),
                        RequestId.offered(text).isPresent(),
                        () -> "for '" + text + "'"));
        qt().withFixedSeed(20261130L)
                .withExamples(500)
                .forAll(strings().allPossible().ofLengthBetween(0, 8))
                .checkAssert(text -> assertEquals(
                        DOCUMENTED.matcher(text).matches(),
                        RequestId.offered(text).isPresent()));
    }

    @Test
    void unsafeIds_areRefused_atTheLimitsToo() {
        assertEquals(Optional.empty(), RequestId.offered("a\r\nx-injected: 1"));
        assertEquals(Optional.empty(), RequestId.offered(""));
        assertEquals(Optional.empty(), RequestId.offered("x".repeat(65)));
        assertTrue(RequestId.offered("x".repeat(64)).isPresent());
        assertThrows(IllegalArgumentException.class, () -> new RequestId("caf\u00e9"));
    }

    @Test
    void aRandomId_isSafe_andCarriesItsPrefix() {
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 100; i++) {
            String id = RequestId.random(random).value();
            assertTrue(DOCUMENTED.matcher(id).matches(), id);
            assertTrue(id.startsWith("req_") && id.length() == 28, id);
        }
    }
}
