package dev.keyline.application.routing;

import dev.keyline.domain.deployment.Deployment;
import dev.keyline.ports.out.HopObserver;
import dev.keyline.ports.out.ProviderReply;
import dev.keyline.ports.out.ProviderRequest;
import dev.keyline.ports.out.ProviderStream;
import dev.keyline.ports.out.TokenCount;
import dev.keyline.ports.out.Upstream;
import java.time.Instant;

/**
 * The upstream of one attempt: holds every request to the client request's deadline, and has the call heard by
 * its entry in the request's journal.
 */
record Attempting(Upstream upstream, Instant deadline, HopObserver hop) implements Upstream {
    @Override
    public Deployment deployment() {
        return upstream.deployment();
    }

    @Override
    public ProviderReply send(ProviderRequest request) {
        return upstream.send(request.answeringBy(deadline).observedBy(hop));
    }

    @Override
    public ProviderStream stream(ProviderRequest request) {
        return upstream.stream(request.answeringBy(deadline).observedBy(hop));
    }

    @Override
    public TokenCount countTokens(ProviderRequest request) {
        return upstream.countTokens(request.answeringBy(deadline).observedBy(hop));
    }
}
