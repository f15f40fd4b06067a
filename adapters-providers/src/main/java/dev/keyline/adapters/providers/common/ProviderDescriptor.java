package dev.keyline.adapters.providers.common;

import dev.keyline.domain.deployment.AuthScheme;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything Keyline knows about one provider name (LiteLLM's prefix, as in {@code deepseek/deepseek-chat}). An
 * OpenAI-compatible host is added as one of these and nothing else.
 *
 * @param name         the prefix deployments use, e.g. {@code groq}
 * @param protocol     the protocol its upstreams speak
 * @param defaultBase  where a deployment without {@code api_base} goes, and when that is allowed
 * @param defaultAuth  how the key is presented when {@code auth_scheme} is not set
 * @param bareHostPath appended to an {@code api_base} that has no path (Ollama's OpenAI API is under {@code /v1} of
 *                     the host LiteLLM's {@code ollama_chat/} users already name)
 */
public record ProviderDescriptor(
        String name,
        ProviderProtocol protocol,
        DefaultBase defaultBase,
        AuthScheme defaultAuth,
        Optional<String> bareHostPath) {

    public ProviderDescriptor {
        Objects.requireNonNull(name, "'name' must not be null");
        Objects.requireNonNull(protocol, "'protocol' must not be null");
        Objects.requireNonNull(defaultBase, "'defaultBase' must not be null");
        Objects.requireNonNull(defaultAuth, "'defaultAuth' must not be null");
        Objects.requireNonNull(bareHostPath, "'bareHostPath' must not be null");
        if (!name.matches("[a-z][a-z0-9_]*")) {
            throw new IllegalArgumentException(
                    "a provider name is lower-case letters, digits and '_', was '" + name + "'");
        }
        if (!protocol.authSchemes().containsValue(defaultAuth)) {
            throw new IllegalArgumentException(
                    "provider " + name + ": its default auth scheme is not one " + protocol.name() + " accepts");
        }
        bareHostPath.ifPresent(path -> {
            if (!path.startsWith("/")) {
                throw new IllegalArgumentException("provider " + name + ": bareHostPath must start with '/'");
            }
        });
    }

    /**
     * A provider reached only at its own host.
     *
     * @return a descriptor whose deployments may leave out {@code api_base}
     */
    public static ProviderDescriptor oneHost(String name, ProviderProtocol protocol, String base, AuthScheme auth) {
        return new ProviderDescriptor(name, protocol, new DefaultBase.AnyModel(base), auth, Optional.empty());
    }

    @Override
    public String toString() {
        return name + " (" + protocol.name() + ")";
    }
}
