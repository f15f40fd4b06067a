package dev.keyline.app.provider;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keyline.adapters.http.provider.AnthropicProviderClient;
import dev.keyline.domain.deployment.Deployment;
import dev.keyline.domain.deployment.DeploymentId;
import dev.keyline.ports.out.ProviderClient;
import dev.keyline.ports.out.ProviderReply;
import dev.keyline.ports.out.ProviderRequest;
import dev.keyline.ports.out.ProviderStream;
import dev.keyline.ports.out.Upstream;
import dev.keyline.ports.out.Upstreams;
import java.time.InstantSource;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * Makes the {@link Upstream} of every configured deployment, once, by pairing it with the adapter for its provider.
 * An upstream can be had only for a deployment of the configuration; the application never sees an adapter.
 */
public final class ProviderDispatch implements Upstreams {

    /** The providers Keyline can call; a deployment of any other is refused at configuration load. */
    public static final Set<String> SUPPORTED_PROVIDERS = Set.of("anthropic");

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
     * The gateway's dispatcher: each provider's adapter, built once and shared by its deployments.
     *
     * @param decorate wraps each adapter; the identity in production, a misbehaving wrapper for the conformance
     *                 kit's mutants
     */
    public static ProviderDispatch standard(
            List<Deployment> deployments,
            ObjectMapper mapper,
            InstantSource clock,
            UnaryOperator<ProviderClient> decorate) {
        ProviderClient anthropic =
                decorate.apply(new AnthropicProviderClient(AnthropicProviderClient.defaultHttpClient(), mapper, clock));
        return new ProviderDispatch(deployments, provider -> switch (provider) {
            case "anthropic" -> anthropic;
            default -> throw new IllegalArgumentException("no adapter for provider '" + provider + "'");
        });
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
        public String toString() {
            return "upstream " + deployment.id();
        }
    }
}
