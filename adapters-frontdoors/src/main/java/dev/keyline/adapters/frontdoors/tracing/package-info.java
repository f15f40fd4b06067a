/** OpenTelemetry traces of finished requests, built from their journals. */
package dev.keyline.adapters.frontdoors.tracing;
