package dev.keyline.app.config;

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
 */
public record OperationsSettings(boolean metrics, boolean metricsNeedKey, boolean jsonLogs) {

    /** @return metrics on and behind the key, the human access line */
    public static OperationsSettings defaults() {
        return new OperationsSettings(true, true, false);
    }
}
