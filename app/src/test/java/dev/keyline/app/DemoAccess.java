package dev.keyline.app;

import dev.keyline.app.cli.DemoOptions;

/** Starts the demo for tests in other packages. */
public final class DemoAccess {

    private DemoAccess() {}

    /**
     * The running demo and where to reach it.
     *
     * @param key         its master key
     * @param budgetedKey its virtual key with a $0.01 budget
     */
    public record Started(AutoCloseable running, String baseUrl, String key, String budgetedKey) {}

    public static Started start() {
        Demo.Running running = Demo.start(new DemoOptions("127.0.0.1", 0));
        return new Started(running, running.gateway().baseUrl(), running.masterKey(), running.budgetedKey());
    }
}
