/** The OpenTelemetry SDK Keyline traces with, when traces are on. */
package dev.keyline.app.tracing;
