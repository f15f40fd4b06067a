package archfixture.keyline.ports;

import archfixture.keyline.application.RoutingService;

/** Violation: a port that knows the service implementing it. */
public interface ServiceAwarePort {
    RoutingService implementation();
}
