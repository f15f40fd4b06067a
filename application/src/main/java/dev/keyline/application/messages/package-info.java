/**
 * The Messages use case: relaying a request through the router, and the web-search loop that the gateway runs for
 * deployments that cannot, driven on the upstream of its first hop (answered whole, or streamed).
 */
package dev.keyline.application.messages;
