/**
 * {@code keyline demo}: a clearly labelled simulated model, served over HTTP like a third-party
 * Anthropic-compatible endpoint that cannot run server tools, so the whole web-search loop runs with no key and
 * no network.
 */
package dev.keyline.app.demo;
