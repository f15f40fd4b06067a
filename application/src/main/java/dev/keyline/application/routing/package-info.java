/**
 * Routing: which deployment of a model group serves a call, retries, fallbacks and cooldowns, and the bound
 * follow-ups of a search loop. The {@link dev.keyline.application.routing.Router} hands callers an
 * {@link dev.keyline.ports.out.Upstream}, never a bare deployment.
 */
package dev.keyline.application.routing;
