package dev.keyline.app;

import dev.keyline.app.config.ConfigException;
import dev.keyline.app.config.GatewayConfig;
import dev.keyline.app.search.SearchEngines;
import dev.keyline.app.tls.ServerCertificate;
import dev.keyline.ports.out.SearchEngine;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a start needs beyond a readable file, built before anything listens: the search engine (its corpus read,
 * its address checked) and the front door's certificate (its files read, the key checked against it). {@code serve} starts from it and {@code check} runs it and stops, so the two cannot disagree
 * on what refuses a start; only the port is {@code serve}'s alone.
 *
 * @param searchEngine the engine web-search interception uses, when a deployment has it on
 * @param certificate  the front door's certificate, when it serves HTTPS
 */
public record Preflight(Optional<SearchEngine> searchEngine, Optional<ServerCertificate> certificate) {

    public Preflight {
        Objects.requireNonNull(searchEngine, "'searchEngine' must not be null");
        Objects.requireNonNull(certificate, "'certificate' must not be null");
    }

    /**
     * @param config a loaded configuration
     * @return what the gateway starts from
     * @throws ConfigException with every problem found, each naming its key path
     */
    public static Preflight of(GatewayConfig config) {
        List<String> problems = new ArrayList<>();
        Optional<SearchEngine> engine = Optional.empty();
        if (config.deployments().stream().anyMatch(config::intercepts)) {
            try {
                engine = Optional.of(SearchEngines.forConfig(config));
            } catch (ConfigException e) {
                problems.addAll(e.problems());
            }
        }
        Optional<ServerCertificate> certificate = Optional.empty();
        try {
            certificate = config.serverTls().map(ServerCertificate::read);
        } catch (IllegalArgumentException e) {
            problems.add("ssl_certfile_path, ssl_keyfile_path: " + e.getMessage());
        }
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        return new Preflight(engine, certificate);
    }
}
