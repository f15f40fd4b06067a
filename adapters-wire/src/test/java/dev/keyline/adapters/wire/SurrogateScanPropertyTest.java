package dev.keyline.adapters.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.longs;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The word-at-a-time scan for bytes that may spell a surrogate finds exactly what a byte-by-byte reading finds,
 * wherever the bytes fall against the eight-byte words and the body's end.
 */
class SurrogateScanPropertyTest {

    private static final byte[] ALPHABET = {'\\', 'u', 'd', 'D', (byte) 0xED, (byte) 0xEC, 'a', '"', 0x5D, 0x7C};

    @Test
    void findsWhatAByteByByteReadingFinds() {
        qt().withExamples(5_000).forAll(longs().all()).checkAssert(seed -> {
            SplittableRandom random = new SplittableRandom(seed);
            byte[] body = new byte[random.nextInt(40)];
            for (int i = 0; i < body.length; i++) {
                body[i] = random.nextInt(4) == 0 ? ALPHABET[random.nextInt(ALPHABET.length)] : (byte) 'x';
            }
            assertEquals(byteByByte(body), JsonSupport.mayHoldSurrogates(body), Arrays.toString(body));
        });
    }

    private static boolean byteByByte(byte[] json) {
        for (int i = 0; i < json.length; i++) {
            byte b = json[i];
            if (b == (byte) 0xED
                    || (b == '\\' && i + 2 < json.length && json[i + 1] == 'u' && (json[i + 2] | 0x20) == 'd')) {
                return true;
            }
        }
        return false;
    }
}
