/**
 * {@code keyline demo}: a clearly labelled simulated model, served over HTTP like a third-party
 * Anthropic-compatible endpoint that cannot run server tools, so the whole web-search loop runs with no key and
 * no network.
 *
 * <p>It stays in the composition root on purpose: it is not an adapter of any port. The gateway calls it through
 * the ordinary Anthropic provider adapter, over loopback HTTP, as it would call any deployment; it is part of what
 * the {@code demo} command starts, beside the gateway.
 */
package dev.keyline.app.demo;
