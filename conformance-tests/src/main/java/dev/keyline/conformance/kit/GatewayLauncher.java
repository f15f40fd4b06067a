package dev.keyline.conformance.kit;

import java.nio.file.Path;
import java.util.Map;

/** Starts the gateway under test (or reaches one already running) with the configuration the kit wrote. */
public interface GatewayLauncher {

    /**
     * @param config      the gateway configuration the kit wrote for its fakes
     * @param environment variables the gateway process should see (keys by name, decoy {@code ANTHROPIC_*})
     * @return the running gateway
     */
    RunningGateway launch(Path config, Map<String, String> environment) throws Exception;

    /**
     * @param port the port the kit chose and wrote into the configuration, for gateways that read it from there; a
     *             launcher that chooses its own (a container, a fleet, a URL) ignores it
     */
    default RunningGateway launch(Path config, Map<String, String> environment, int port) throws Exception {
        return launch(config, environment);
    }

    /**
     * A gateway the kit can send requests to; closing stops it when the kit started it.
     *
     * @param environmentControlled whether the kit controls the gateway's environment (the decoy property needs it)
     * @param stop                  what closing does: stop the process or container, or nothing
     */
    record RunningGateway(String baseUrl, boolean environmentControlled, Stop stop) implements AutoCloseable {

        /** Stops a gateway the kit started. */
        interface Stop {
            void run() throws Exception;
        }

        @Override
        public void close() throws Exception {
            stop.run();
        }
    }
}
