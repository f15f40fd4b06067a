/**
 * The conformance kit: it judges a gateway only over HTTP, so the same checks can run against Keyline and
 * against other gateways. This first part launches the built Keyline as a separate process, with decoy
 * {@code ANTHROPIC_*} variables in its environment.
 */
package dev.keyline.conformance;
