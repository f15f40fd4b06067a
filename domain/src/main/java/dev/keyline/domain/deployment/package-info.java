/**
 * Where a request may go and with what: a {@link dev.keyline.domain.deployment.Deployment} binds an endpoint to
 * its own credentials, auth scheme and headers, so no call can be assembled from loose parts.
 */
package dev.keyline.domain.deployment;
