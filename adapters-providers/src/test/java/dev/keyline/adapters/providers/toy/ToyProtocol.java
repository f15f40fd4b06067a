package dev.keyline.adapters.providers.toy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keyline.adapters.providers.common.DefaultBase;
import dev.keyline.adapters.providers.common.ProviderDescriptor;
import dev.keyline.adapters.providers.common.ProviderProtocol;
import dev.keyline.domain.deployment.AuthScheme;
import dev.keyline.ports.out.ProviderClient;
import io.helidon.webclient.http1.Http1Client;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * docs/extending.md, a new protocol: the toy protocol's one provider, {@code toy/}, with no host of its own and a
 * Google-style key header, to show a scheme neither Anthropic nor OpenAI uses.
 */
public final class ToyProtocol implements ProviderProtocol {

    /** The toy's key header: a scheme that is a header name and nothing else. */
    static final AuthScheme TOY_KEY = new AuthScheme.KeyHeader("x-toy-key", "");

    @Override
    public String name() {
        return "toy-complete";
    }

    @Override
    public List<ProviderDescriptor> providers() {
        return List.of(new ProviderDescriptor("toy", this, new DefaultBase.None(), TOY_KEY, Optional.empty()));
    }

    @Override
    public Map<String, AuthScheme> authSchemes() {
        return Map.of("x-toy-key", TOY_KEY, "bearer", AuthScheme.BEARER);
    }

    @Override
    public List<String> appendedPaths() {
        return List.of(ToyProviderClient.PATH);
    }

    @Override
    public boolean countsTokens() {
        return false;
    }

    @Override
    public ProviderClient client(Http1Client http, ObjectMapper mapper, InstantSource clock) {
        // The toy speaks through the JDK's client, to show an adapter need not use the shared one.
        return new ToyProviderClient();
    }
}
