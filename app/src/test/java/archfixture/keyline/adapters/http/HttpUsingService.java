package archfixture.keyline.adapters.http;

import archfixture.keyline.application.RoutingService;

/** Violation: an adapter that drives an application service instead of a port. */
public class HttpUsingService {
    public RoutingService service() {
        return new RoutingService();
    }
}
