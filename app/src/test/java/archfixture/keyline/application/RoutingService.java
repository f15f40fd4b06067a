package archfixture.keyline.application;

import dev.keyline.domain.deployment.Deployment;
import dev.keyline.ports.out.ProviderClient;
import dev.keyline.ports.out.ProviderReply;
import dev.keyline.ports.out.ProviderRequest;

/** Violation: an application service that calls a provider adapter with a deployment of its choosing. */
public class RoutingService {
    public ProviderReply call(ProviderClient adapter, Deployment anyDeployment, ProviderRequest request) {
        return adapter.send(anyDeployment, request);
    }
}
