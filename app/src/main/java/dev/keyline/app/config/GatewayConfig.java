package dev.keyline.app.config;

import dev.keyline.domain.deployment.Credentials;
import dev.keyline.domain.deployment.Deployment;
import java.util.List;
import java.util.Objects;

/**
 * A loaded configuration: the deployments, the gateway key, router and web-search settings, and the warnings
 * found while reading it (unknown keys, settings Keyline does not act on yet).
 */
public record GatewayConfig(List<Deployment> deployments, Credentials masterKey, RouterSettings router,
                            WebSearchInterceptionSettings webSearch, List<SearchToolSettings> searchTools,
                            List<String> warnings) {
    public GatewayConfig {
        deployments = List.copyOf(Objects.requireNonNull(deployments, "'deployments' must not be null"));
        Objects.requireNonNull(masterKey, "'masterKey' must not be null");
        Objects.requireNonNull(router, "'router' must not be null");
        Objects.requireNonNull(webSearch, "'webSearch' must not be null");
        searchTools = List.copyOf(Objects.requireNonNull(searchTools, "'searchTools' must not be null"));
        warnings = List.copyOf(Objects.requireNonNull(warnings, "'warnings' must not be null"));
    }
}
