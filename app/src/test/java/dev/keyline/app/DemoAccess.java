package dev.keyline.app;

import dev.keyline.app.cli.DemoOptions;

/** Starts the demo for tests in other packages. */
public final class DemoAccess {

    private DemoAccess() {}

    /** The running demo and where to reach it. */
    public record Started(AutoCloseable running, String baseUrl) {}

    public static Started start() {
        Demo.Running running = Demo.start(new DemoOptions("127.0.0.1", 0));
        return new Started(running, running.gateway().baseUrl());
    }
}
