/**
 * Provider clients on Helidon's HTTP/1.1 WebClient. A call is built from one {@link dev.keyline.domain.deployment.Deployment}
 * only: its endpoint, key, auth scheme, headers and provider model name. Redirects are never followed, so a key
 * cannot travel to another origin.
 */
package dev.keyline.adapters.providers;
