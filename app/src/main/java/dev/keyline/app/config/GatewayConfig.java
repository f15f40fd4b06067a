package dev.keyline.app.config;

import dev.keyline.adapters.providers.ProviderRegistry;
import dev.keyline.adapters.providers.common.UpstreamTrust;
import dev.keyline.adapters.state.redis.RedisEndpoint;
import dev.keyline.domain.deployment.Credentials;
import dev.keyline.domain.deployment.Deployment;
import dev.keyline.domain.deployment.DeploymentId;
import dev.keyline.domain.keys.TokenPrices;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A loaded configuration: the deployments, the gateway key, router and web-search settings, the fleet's Redis when
 * there is one, what operators see (metrics, logs), the warnings found while reading it (unknown keys, settings
 * Keyline does not act on yet), and the providers its deployments were read with, so that the gateway calls them
 * through the same registry that accepted them; the certificates each deployment's upstream must present when not
 * the JVM's defaults ({@code ssl_verify}), and the front door's own certificate and key when it serves HTTPS.
 */
public record GatewayConfig(
        List<Deployment> deployments,
        Credentials masterKey,
        RouterSettings router,
        WebSearchInterceptionSettings webSearch,
        List<SearchToolSettings> searchTools,
        Map<DeploymentId, DeploymentWebSearch> deploymentWebSearch,
        Optional<RedisEndpoint> redis,
        OperationsSettings operations,
        List<String> warnings,
        ProviderRegistry providers,
        KeySettings keys,
        Map<DeploymentId, TokenPrices> prices,
        Map<DeploymentId, UpstreamTrust> upstreamTrust,
        Optional<ServerTls> serverTls) {
    public GatewayConfig {
        deployments = List.copyOf(Objects.requireNonNull(deployments, "'deployments' must not be null"));
        Objects.requireNonNull(masterKey, "'masterKey' must not be null");
        Objects.requireNonNull(router, "'router' must not be null");
        Objects.requireNonNull(webSearch, "'webSearch' must not be null");
        searchTools = List.copyOf(Objects.requireNonNull(searchTools, "'searchTools' must not be null"));
        deploymentWebSearch = Map.copyOf(deploymentWebSearch);
        Objects.requireNonNull(redis, "'redis' must not be null");
        Objects.requireNonNull(operations, "'operations' must not be null");
        warnings = List.copyOf(Objects.requireNonNull(warnings, "'warnings' must not be null"));
        Objects.requireNonNull(providers, "'providers' must not be null");
        Objects.requireNonNull(keys, "'keys' must not be null");
        prices = Map.copyOf(prices);
        upstreamTrust = Map.copyOf(upstreamTrust);
        Objects.requireNonNull(serverTls, "'serverTls' must not be null");
    }

    /**
     * @param deployment a configured deployment
     * @return whether Keyline runs its web searches: its own opt-in or opt-out, else the callback being on for
     *         its provider (for every provider when {@code enabled_providers} is not given)
     */
    public boolean intercepts(Deployment deployment) {
        DeploymentWebSearch own = deploymentWebSearch.getOrDefault(deployment.id(), DeploymentWebSearch.unset());
        return own.intercept()
                .orElseGet(() -> webSearch.enabled()
                        && (webSearch.enabledProviders().isEmpty()
                                || webSearch.enabledProviders().contains(deployment.provider())));
    }

    /** @return the deployment's follow-up limit: its own, else the feature's */
    public int maxAgenticLoops(Deployment deployment) {
        return deploymentWebSearch
                .getOrDefault(deployment.id(), DeploymentWebSearch.unset())
                .maxAgenticLoops()
                .orElse(webSearch.maxAgenticLoops());
    }

    /**
     * @param files the front door's certificate and key, as the command line names them
     * @return this configuration serving HTTPS with them
     */
    public GatewayConfig withServerTls(ServerTls files) {
        return new GatewayConfig(
                deployments,
                masterKey,
                router,
                webSearch,
                searchTools,
                deploymentWebSearch,
                redis,
                operations,
                warnings,
                providers,
                keys,
                prices,
                upstreamTrust,
                Optional.of(files));
    }
}
