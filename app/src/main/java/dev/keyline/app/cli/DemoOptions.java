package dev.keyline.app.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * The options of {@code keyline demo}.
 *
 * @param host the address to bind
 * @param port the port
 */
public record DemoOptions(String host, int port) {

    public DemoOptions {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("--port must be between 0 and 65535, got " + port);
        }
    }

    /** @throws IllegalArgumentException with a message for the user when the arguments are wrong */
    public static DemoOptions parse(List<String> args) {
        List<String> withConfig = new ArrayList<>(args);
        withConfig.addAll(List.of("--config", "unused"));
        ServeOptions serve = ServeOptions.parse(withConfig);
        return new DemoOptions(serve.host(), serve.port());
    }
}
