package dev.keyline.app.logging;

import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Keeps Helidon's wire loggers at INFO whatever the logging configuration asks: at FINE and below they write every
 * request's and answer's headers and bodies, so turning Keyline's debug logging on (a root level of {@code ALL})
 * would write the gateway key, the clients' messages and the upstreams' answers to the log. Keyline's own debug lines
 * say what happened without them.
 */
public final class WireLogging {

    /** The loggers that dump what crosses the wire, server side and client side. */
    static final List<String> WIRE_LOGGERS = List.of(
            "io.helidon.webserver.http1.Http1LoggingConnectionListener",
            "io.helidon.webserver.http2.Http2LoggingFrameListener",
            "io.helidon.webclient.http1.Http1CallChainBase",
            "io.helidon.webclient.http1.Http1ClientConnection",
            "io.helidon.common.buffers");

    /** Held so the levels set stay set: JUL keeps loggers only weakly. */
    private final List<Logger> held;

    private WireLogging(List<Logger> held) {
        this.held = held;
    }

    /**
     * Caps the wire loggers (and their children, which inherit the level) at INFO.
     *
     * @return the handle that keeps the cap in force; keep it for the process's life
     */
    public static WireLogging capped() {
        List<Logger> loggers = WIRE_LOGGERS.stream().map(Logger::getLogger).toList();
        for (Logger logger : loggers) {
            logger.setLevel(Level.INFO);
        }
        return new WireLogging(loggers);
    }
}
