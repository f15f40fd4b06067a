package dev.keyline.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.helidon.webserver.http.HttpRouting;
import java.lang.System.Logger.Level;

/**
 * Start-up work taken off the main thread's path. Two things are built once per process, the first time anything
 * needs them, and take most of a start even with the AOT cache: Jackson's shared defaults (the first
 * {@code ObjectMapper}, ~50 ms; its date formats, which load the JDK's locale data, are part of it) and Helidon's
 * service registry (the first routing builder boots it, reading every jar's registry metadata). A second thread
 * builds both while the main thread configures logging and reads the configuration file; the real mappers and
 * server, built after, find the work done. It keeps nothing, sends nothing and opens no socket.
 */
final class StartupWarmUp {

    private static final System.Logger LOG = System.getLogger(StartupWarmUp.class.getName());

    private StartupWarmUp() {}

    /** @return the warm-up's thread, already running; a daemon, so it never holds the process */
    static Thread start() {
        return Thread.ofPlatform().daemon().name("keyline-warm-up").start(() -> {
            try {
                // Jackson first: the configuration file is read with it, soon after this starts.
                new ObjectMapper();
                HttpRouting.builder();
            } catch (RuntimeException e) {
                // Only time is at stake: the real build, on the main thread, reports whatever is wrong.
                LOG.log(
                        Level.DEBUG,
                        "start-up warm-up failed: {0}",
                        e.getClass().getName());
            }
        });
    }
}
