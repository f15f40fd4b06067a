/**
 * Keyline's front door on Helidon WebServer: {@code /v1/messages} (JSON and SSE), gateway-key checks, health, and
 * the Anthropic error shape for every failure, including the transport's own.
 */
package dev.keyline.adapters.frontdoors.server;
