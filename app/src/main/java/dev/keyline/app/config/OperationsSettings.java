package dev.keyline.app.config;

import java.util.Objects;
import java.util.Optional;

/**
 * What operators see of the gateway.
 *
 * @param metrics        whether {@code GET /metrics} serves Prometheus metrics ({@code general_settings.metrics},
 *                       Keyline's own key; on unless set to false)
 * @param metricsNeedKey whether {@code /metrics} asks for the gateway key
 *                       ({@code general_settings.require_auth_for_metrics_endpoint}, LiteLLM's key; yes unless set
 *                       to false)
 * @param jsonLogs       whether requests are logged as JSON lines, one per request and one per upstream call, and
 *                       every other line as JSON too ({@code litellm_settings.json_logs}, LiteLLM's key; off by
 *                       default. LiteLLM's {@code JSON_LOGS} variable is not read: Keyline reads only the
 *                       variables its file names)
 * @param traces         where OpenTelemetry traces are exported, when they are on (see {@link TraceExport})
 */
public record OperationsSettings(
        boolean metrics, boolean metricsNeedKey, boolean jsonLogs, Optional<TraceExport> traces) {

    public OperationsSettings {
        Objects.requireNonNull(traces, "'traces' must not be null");
    }

    /** @return metrics on and behind the key, the human access line, no traces */
    public static OperationsSettings defaults() {
        return new OperationsSettings(true, true, false, Optional.empty());
    }
}
