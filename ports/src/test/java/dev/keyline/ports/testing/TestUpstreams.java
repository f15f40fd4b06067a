package dev.keyline.ports.testing;

import dev.keyline.domain.deployment.Deployment;
import dev.keyline.ports.out.ProviderClient;
import dev.keyline.ports.out.ProviderReply;
import dev.keyline.ports.out.ProviderRequest;
import dev.keyline.ports.out.ProviderStream;
import dev.keyline.ports.out.TokenCount;
import dev.keyline.ports.out.Upstream;
import dev.keyline.ports.out.Upstreams;

/** Upstreams for service tests: every deployment bound to one fake provider, as the gateway's dispatcher binds them. */
public final class TestUpstreams {

    private TestUpstreams() {}

    /** @return upstreams whose calls all go to {@code provider}, each carrying its own deployment */
    public static Upstreams through(ProviderClient provider) {
        return deployment -> new Bound(deployment, provider);
    }

    private record Bound(Deployment deployment, ProviderClient provider) implements Upstream {
        @Override
        public ProviderReply send(ProviderRequest request) {
            return provider.send(deployment, request);
        }

        @Override
        public ProviderStream stream(ProviderRequest request) {
            return provider.stream(deployment, request);
        }

        @Override
        public TokenCount countTokens(ProviderRequest request) {
            return provider.countTokens(deployment, request);
        }
    }
}
