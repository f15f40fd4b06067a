package archfixture.keyline.adapters.providers;

import archfixture.keyline.application.RoutingService;

/** Violation: an adapter that drives an application service instead of a port. */
public class ProviderUsingService {
    public RoutingService service() {
        return new RoutingService();
    }
}
