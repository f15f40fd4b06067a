package dev.keyline.conformance.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The kit's command line answers a user's slips with one line and exit 2, and --help with the usage and exit 0. */
class ConformanceMainTest {

    private record Ran(int exit, String out, String err) {}

    @Test
    void help_printsTheUsage_andExits0() throws Exception {
        Ran help = run("--help");

        assertEquals(0, help.exit(), help.err());
        assertTrue(help.out().startsWith("usage: keyline conformance"), help.out());
        assertEquals("", help.err());
    }

    @Test
    void aMissingOrMalformedValue_isNamed_withExit2() throws Exception {
        Ran missing = run("--cases");
        Ran malformed = run("--cases", "twenty");
        Ran unknown = run("--casse", "20");

        assertEquals(2, missing.exit());
        assertTrue(missing.err().startsWith("keyline conformance: --cases needs a value"), missing.err());
        assertEquals(2, malformed.exit());
        assertTrue(
                malformed.err().startsWith("keyline conformance: --cases needs a whole number, got 'twenty'"),
                malformed.err());
        assertEquals(2, unknown.exit());
        assertTrue(unknown.err().startsWith("keyline conformance: unknown option --casse"), unknown.err());
        for (Ran each : List.of(missing, malformed, unknown)) {
            assertTrue(!each.err().contains("Exception") && !each.err().contains("\tat "), each.err());
        }
    }

    private static Ran run(String... args) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = ConformanceMain.run(
                List.of(args),
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Ran(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
