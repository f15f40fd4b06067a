package dev.keyline.app.provider;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keyline.adapters.http.provider.AnthropicProviderClient;
import dev.keyline.adapters.http.provider.OpenAiProviderClient;
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
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * Makes the {@link Upstream} of every configured deployment, once, by pairing it with the adapter for its provider.
 * An upstream can be had only for a deployment of the configuration; the application never sees an adapter.
 */
public final class ProviderDispatch implements Upstreams {

    /** Providers that speak Anthropic's Messages API. */
    public static final Set<String> ANTHROPIC_PROVIDERS = Set.of("anthropic");

    /** Providers that speak OpenAI's chat completions API (LiteLLM's names for them). */
    public static final Set<String> OPENAI_PROVIDERS =
            Set.of("openai", "hosted_vllm", "ollama_chat", "deepseek", "groq", "openrouter");

    /** The providers Keyline can call; a deployment of any other is skipped at configuration load, with a warning. */
    public static final Set<String> SUPPORTED_PROVIDERS = union(ANTHROPIC_PROVIDERS, OPENAI_PROVIDERS);

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
        Http1Client http = AnthropicProviderClient.defaultHttpClient(
                deployments.stream().map(Deployment::endpoint).toList());
        ProviderClient anthropic = decorate.apply(new AnthropicProviderClient(http, mapper, clock));
        ProviderClient openAi = decorate.apply(new OpenAiProviderClient(http, mapper, clock));
        return new ProviderDispatch(deployments, provider -> {
            if (ANTHROPIC_PROVIDERS.contains(provider)) {
                return anthropic;
            }
            if (OPENAI_PROVIDERS.contains(provider)) {
                return openAi;
            }
            throw new IllegalArgumentException("no adapter for provider '" + provider + "'");
        });
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> all = new TreeSet<>(a);
        all.addAll(b);
        return Set.copyOf(all);
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
