package dev.keyline.app.cli;

import dev.keyline.app.config.ServerTls;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The options of {@code keyline serve}.
 *
 * @param config the configuration file
 * @param host   the address to bind; loopback unless told otherwise
 * @param port   the port; 4000 (LiteLLM's) unless told otherwise
 * @param tls    the front door's certificate and key ({@code --ssl_certfile_path}, {@code --ssl_keyfile_path}, as
 *               LiteLLM's flags are named); they win over the configuration's
 */
public record ServeOptions(Path config, String host, int port, Optional<ServerTls> tls) {

    public static final int DEFAULT_PORT = 4000;
    public static final String DEFAULT_HOST = "127.0.0.1";

    public ServeOptions {
        Objects.requireNonNull(config, "'config' must not be null");
        Objects.requireNonNull(host, "'host' must not be null");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("--port must be between 0 and 65535, got " + port);
        }
        Objects.requireNonNull(tls, "'tls' must not be null");
    }

    public ServeOptions(Path config, String host, int port) {
        this(config, host, port, Optional.empty());
    }

    /**
     * @param args the arguments after {@code serve}
     * @return the options
     * @throws IllegalArgumentException with a message for the user when the arguments are wrong
     */
    public static ServeOptions parse(List<String> args) {
        Path config = null;
        String host = DEFAULT_HOST;
        int port = DEFAULT_PORT;
        Path certificate = null;
        Path key = null;
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            String name = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
            String value;
            if (arg.contains("=")) {
                value = arg.substring(arg.indexOf('=') + 1);
            } else if (i + 1 < args.size()) {
                value = args.get(++i);
            } else {
                throw new IllegalArgumentException(name + " needs a value");
            }
            switch (name) {
                case "--config" -> config = Path.of(value);
                case "--host" -> host = value;
                case "--port" -> port = parsePort(value);
                case "--ssl_certfile_path", "--ssl-certfile-path" -> certificate = Path.of(value);
                case "--ssl_keyfile_path", "--ssl-keyfile-path" -> key = Path.of(value);
                default -> throw new IllegalArgumentException("unknown option " + name);
            }
        }
        if (config == null) {
            throw new IllegalArgumentException("--config FILE is required");
        }
        if ((certificate == null) != (key == null)) {
            throw new IllegalArgumentException(
                    "--ssl_certfile_path and --ssl_keyfile_path go together: HTTPS needs the certificate and its key");
        }
        return new ServeOptions(
                config,
                host,
                port,
                certificate == null ? Optional.empty() : Optional.of(new ServerTls(certificate, key)));
    }

    private static int parsePort(String value) {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--port must be a number, got '" + value + "'");
        }
    }
}
