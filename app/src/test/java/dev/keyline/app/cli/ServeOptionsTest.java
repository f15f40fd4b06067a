package dev.keyline.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class ServeOptionsTest {

    @Test
    void defaults_areLoopbackAndLiteLlmsPort() {
        assertEquals(
                new ServeOptions(Path.of("c.yaml"), "127.0.0.1", 4000),
                ServeOptions.parse(List.of("--config", "c.yaml")));
    }

    @Test
    void optionsMayBeSpacedOrJoined() {
        assertEquals(
                new ServeOptions(Path.of("c.yaml"), "0.0.0.0", 8080),
                ServeOptions.parse(List.of("--config=c.yaml", "--port", "8080", "--host=0.0.0.0")));
    }

    @Test
    void mistakes_areExplained() {
        assertEquals(
                "--config FILE is required",
                assertThrows(IllegalArgumentException.class, () -> ServeOptions.parse(List.of()))
                        .getMessage());
        assertEquals(
                "--port must be a number, got 'x'",
                assertThrows(
                                IllegalArgumentException.class,
                                () -> ServeOptions.parse(List.of("--config", "c", "--port", "x")))
                        .getMessage());
        assertEquals(
                "--port needs a value",
                assertThrows(
                                IllegalArgumentException.class,
                                () -> ServeOptions.parse(List.of("--config", "c", "--port")))
                        .getMessage());
        assertEquals(
                "unknown option --verbose",
                assertThrows(IllegalArgumentException.class, () -> ServeOptions.parse(List.of("--verbose", "x")))
                        .getMessage());
    }
}
