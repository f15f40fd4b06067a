package dev.keyline.conformance;

import java.nio.file.Path;
import java.util.Map;

/** Lets the kit's tests launch the built gateway. */
public final class GatewayProcessAccess {

    private GatewayProcessAccess() {
    }

    /** A launched gateway and where it listens. */
    public record Launched(AutoCloseable process, String baseUrl) {
    }

    public static Launched launch(Path config, Map<String, String> environment) throws Exception {
        GatewayProcess process = GatewayProcess.start(config, environment);
        return new Launched(process, process.baseUrl());
    }
}
