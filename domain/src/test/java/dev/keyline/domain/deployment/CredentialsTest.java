package dev.keyline.domain.deployment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class CredentialsTest {

    private static final String KEY = "sk-live-0123456789abcdef";

    @Test
    void toString_neverShowsTheKey() {
        Credentials credentials = Credentials.of(KEY);

        assertFalse(credentials.toString().contains(KEY));
        assertFalse(credentials.toString().contains("0123"));
        assertEquals("Credentials[none]", Credentials.none().toString());
    }

    @Test
    void aRecordHoldingCredentials_doesNotShowTheKeyEither() {
        record Holder(String name, Credentials credentials) {}

        assertFalse(new Holder("x", Credentials.of(KEY)).toString().contains(KEY));
    }

    @Test
    void reveal_givesTheKeyOnlyWhenPresent() {
        assertEquals(KEY, Credentials.of(KEY).reveal().orElseThrow());
        assertTrue(Credentials.none().reveal().isEmpty());
        assertFalse(Credentials.none().isPresent());
    }

    @Test
    void matches_comparesWholeKeys() {
        Credentials credentials = Credentials.of(KEY);

        assertTrue(credentials.matches(KEY));
        assertFalse(credentials.matches(KEY + "x"));
        assertFalse(credentials.matches(KEY.substring(1)));
        assertFalse(credentials.matches(null));
        assertFalse(Credentials.none().matches(""));
    }

    @Test
    void redactFrom_masksEveryOccurrence() {
        String echoed = "{\"message\":\"invalid key " + KEY + "\",\"again\":\"" + KEY + "\"}";

        String redacted = Credentials.of(KEY).redactFrom(echoed);

        assertFalse(redacted.contains(KEY));
        assertTrue(redacted.contains("invalid key ****"));
    }

    @Test
    void of_rejectsBlankAndMultiLineKeys() {
        assertThrows(IllegalArgumentException.class, () -> Credentials.of("  "));
        assertThrows(IllegalArgumentException.class, () -> Credentials.of("sk-a\r\nx-evil: 1"));
        assertThrows(NullPointerException.class, () -> Credentials.of(null));
    }

    @Test
    void of_stripsSurroundingWhitespace_asFromAnEnvFileWithATrailingNewline() {
        assertEquals(KEY, Credentials.of(" " + KEY + "\t").reveal().orElseThrow());
    }
}
