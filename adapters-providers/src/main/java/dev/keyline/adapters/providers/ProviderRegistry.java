package dev.keyline.adapters.providers;

import dev.keyline.adapters.providers.anthropic.AnthropicProtocol;
import dev.keyline.adapters.providers.bedrock.BedrockProtocol;
import dev.keyline.adapters.providers.common.ProviderDescriptor;
import dev.keyline.adapters.providers.common.ProviderProtocol;
import dev.keyline.adapters.providers.openai.OpenAiProtocol;
import dev.keyline.adapters.providers.vertex.VertexProtocol;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The providers Keyline can call, by the name deployments give them. Read by the configuration loader (defaults,
 * auth schemes) and by the dispatcher (which adapter), so the two cannot disagree.
 */
public final class ProviderRegistry {

    private final List<ProviderProtocol> protocols;
    private final Map<String, ProviderDescriptor> byName = new LinkedHashMap<>();

    /**
     * @param protocols the protocols, each with its providers
     * @throws IllegalArgumentException when two protocols claim the same provider name
     */
    public ProviderRegistry(List<ProviderProtocol> protocols) {
        this.protocols = List.copyOf(protocols);
        for (ProviderProtocol protocol : this.protocols) {
            for (ProviderDescriptor provider : protocol.providers()) {
                ProviderDescriptor before = byName.putIfAbsent(provider.name(), provider);
                if (before != null) {
                    throw new IllegalArgumentException("provider '" + provider.name() + "' is claimed by both "
                            + before.protocol().name() + " and " + protocol.name());
                }
            }
        }
    }

    /** @return the registry Keyline runs with: one line per protocol */
    public static ProviderRegistry standard() {
        return new ProviderRegistry(
                List.of(new AnthropicProtocol(), new OpenAiProtocol(), new BedrockProtocol(), new VertexProtocol()));
    }

    /** @return the provider of that name, or empty when Keyline cannot call it */
    public Optional<ProviderDescriptor> find(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    /** @return every provider name, sorted, for messages */
    public SortedSet<String> names() {
        return new TreeSet<>(byName.keySet());
    }

    /** @return the protocols, in registration order */
    public List<ProviderProtocol> protocols() {
        return protocols;
    }
}
