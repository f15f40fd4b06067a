package dev.keyline.ports.out;

import dev.keyline.domain.deployment.Deployment;

/** Outgoing port that hands out the {@link Upstream} of each configured deployment. */
public interface Upstreams {

    /**
     * @param deployment a deployment of the configuration the gateway was started with
     * @return the handle that calls that deployment, and only it
     * @throws IllegalArgumentException when the deployment is not one the gateway was configured with
     */
    Upstream of(Deployment deployment);
}
