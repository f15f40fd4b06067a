package dev.keyline.adapters.providers;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keyline.adapters.providers.common.ProviderDescriptor;
import dev.keyline.adapters.providers.common.ProviderHttpClients;
import dev.keyline.adapters.providers.common.ProviderProtocol;
import dev.keyline.adapters.providers.common.UpstreamTrust;
import dev.keyline.domain.deployment.Deployment;
import dev.keyline.domain.deployment.DeploymentId;
import dev.keyline.ports.out.ProviderClient;
import dev.keyline.ports.out.ProviderReply;
import dev.keyline.ports.out.ProviderRequest;
import dev.keyline.ports.out.ProviderStream;
import dev.keyline.ports.out.TokenCount;
import dev.keyline.ports.out.Upstream;
import dev.keyline.ports.out.Upstreams;
import io.helidon.webclient.http1.Http1Client;
import java.time.InstantSource;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * Makes the {@link Upstream} of every configured deployment, once, by pairing it with the adapter for its provider.
 * An upstream can be had only for a deployment of the configuration; the application never sees an adapter.
 */
public final class ProviderDispatch implements Upstreams {

    private final Map<DeploymentId, Upstream> upstreams = new HashMap<>();

    /**
     * @param deployments every configured deployment
     * @param adapterFor  the adapter that speaks a provider's protocol, by provider name
     * @throws IllegalArgumentException when a deployment's provider has no adapter
     */
    public ProviderDispatch(List<Deployment> deployments, Function<String, ProviderClient> adapterFor) {
        for (Deployment deployment : deployments) {
            ProviderClient adapter = adapterFor.apply(deployment.provider());
            upstreams.put(deployment.id(), new DeploymentUpstream(deployment, adapter));
        }
    }

    /**
     * The gateway's dispatcher: each protocol's adapter, built once (only for protocols some deployment uses) and
     * shared by its deployments, all on one HTTP client.
     *
     * @param registry the providers, as the configuration was read with
     * @param decorate wraps each adapter; the identity in production, a misbehaving wrapper for the conformance
     *                 kit's mutants
     * @throws IllegalArgumentException when a deployment's provider is not in the registry
     */
    public static ProviderDispatch standard(
            List<Deployment> deployments,
            ProviderRegistry registry,
            ObjectMapper mapper,
            InstantSource clock,
            UnaryOperator<ProviderClient> decorate) {
        return standard(deployments, registry, mapper, clock, decorate, Map.of());
    }

    /**
     * @param trust the deployments whose {@code ssl_verify} is not the default: each kind of trust gets an HTTP
     *              client, and adapters, of its own, so a private CA trusted for one deployment is trusted for no
     *              other
     */
    public static ProviderDispatch standard(
            List<Deployment> deployments,
            ProviderRegistry registry,
            ObjectMapper mapper,
            InstantSource clock,
            UnaryOperator<ProviderClient> decorate,
            Map<DeploymentId, UpstreamTrust> trust) {
        Http1Client standardHttp = ProviderHttpClients.forEndpoints(deployments.stream()
                .filter(d -> !trust.containsKey(d.id()))
                .map(Deployment::endpoint)
                .toList());
        Map<UpstreamTrust, Http1Client> clients = new HashMap<>();
        Map<Http1Client, Map<ProviderProtocol, ProviderClient>> adapters = new IdentityHashMap<>();
        Map<DeploymentId, Upstream> upstreams = new HashMap<>();
        for (Deployment deployment : deployments) {
            ProviderDescriptor descriptor = registry.find(deployment.provider())
                    .orElseThrow(() ->
                            new IllegalArgumentException("no adapter for provider '" + deployment.provider() + "'"));
            Http1Client http = Optional.ofNullable(trust.get(deployment.id()))
                    .map(t -> clients.computeIfAbsent(t, ProviderHttpClients::trusting))
                    .orElse(standardHttp);
            ProviderClient adapter = adapters.computeIfAbsent(http, h -> new IdentityHashMap<>())
                    .computeIfAbsent(
                            descriptor.protocol(), protocol -> decorate.apply(protocol.client(http, mapper, clock)));
            upstreams.put(deployment.id(), new DeploymentUpstream(deployment, adapter));
        }
        return new ProviderDispatch(upstreams);
    }

    private ProviderDispatch(Map<DeploymentId, Upstream> upstreams) {
        this.upstreams.putAll(upstreams);
    }

    @Override
    public Upstream of(Deployment deployment) {
        Upstream upstream = upstreams.get(deployment.id());
        if (upstream == null || !upstream.deployment().equals(deployment)) {
            throw new IllegalArgumentException(
                    "deployment " + deployment.id() + " is not one this gateway was " + "configured with");
        }
        return upstream;
    }

    /** One deployment bound to its adapter: every call carries that deployment and no other. */
    private record DeploymentUpstream(Deployment deployment, ProviderClient adapter) implements Upstream {
        DeploymentUpstream {
            Objects.requireNonNull(deployment, "'deployment' must not be null");
            Objects.requireNonNull(adapter, "'adapter' must not be null");
        }

        @Override
        public ProviderReply send(ProviderRequest request) {
            return adapter.send(deployment, request);
        }

        @Override
        public ProviderStream stream(ProviderRequest request) {
            return adapter.stream(deployment, request);
        }

        @Override
        public TokenCount countTokens(ProviderRequest request) {
            return adapter.countTokens(deployment, request);
        }

        @Override
        public String toString() {
            return "upstream " + deployment.id();
        }
    }
}
