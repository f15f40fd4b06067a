/**
 * The {@code Telemetry} port on the Prometheus Java client, and {@code GET /metrics}, which serves its text format.
 */
package dev.keyline.adapters.frontdoors.metrics;
