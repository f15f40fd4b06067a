/**
 * The conformance kit's core: fake Anthropic-compatible upstreams that journal every hop, a generated case per
 * client request, and properties judged only from what crossed the wire. It knows the gateway under test by its
 * URL alone.
 */
package dev.keyline.conformance.kit;
