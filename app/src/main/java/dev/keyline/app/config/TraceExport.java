package dev.keyline.app.config;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Where traces go over OTLP/HTTP, when they are on: from {@code general_settings.otlp_endpoint} (Keyline's key) or
 * the OpenTelemetry exporter's standard variables ({@code OTEL_EXPORTER_OTLP_TRACES_ENDPOINT},
 * {@code OTEL_EXPORTER_OTLP_ENDPOINT}, {@code OTEL_EXPORTER_OTLP_HEADERS}, {@code OTEL_SERVICE_NAME}). Off unless
 * one of them names an endpoint.
 *
 * @param endpoint    the traces endpoint itself (a base endpoint gets {@code /v1/traces} appended)
 * @param headers     headers sent with every export (a collector's API key, say); never shown
 * @param serviceName {@code service.name} of the spans
 */
public record TraceExport(URI endpoint, Map<String, String> headers, String serviceName) {

    public TraceExport {
        Objects.requireNonNull(endpoint, "'endpoint' must not be null");
        headers = Map.copyOf(headers);
        Objects.requireNonNull(serviceName, "'serviceName' must not be null");
    }

    /**
     * @param configured  {@code general_settings.otlp_endpoint}, a base endpoint, if set
     * @param environment the process environment
     * @return the export, or empty when nothing names an endpoint
     * @throws IllegalArgumentException when an endpoint is not an http(s) URL or the headers cannot be read
     */
    static Optional<TraceExport> of(Optional<String> configured, Map<String, String> environment) {
        Optional<URI> endpoint = configured
                .map(base -> endpoint(base, "general_settings.otlp_endpoint", true))
                .or(() -> variable(environment, "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT")
                        .map(url -> endpoint(url, "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", false)))
                .or(() -> variable(environment, "OTEL_EXPORTER_OTLP_ENDPOINT")
                        .map(base -> endpoint(base, "OTEL_EXPORTER_OTLP_ENDPOINT", true)));
        return endpoint.map(uri -> new TraceExport(
                uri,
                headers(variable(environment, "OTEL_EXPORTER_OTLP_HEADERS").orElse("")),
                variable(environment, "OTEL_SERVICE_NAME").orElse("keyline")));
    }

    private static Optional<String> variable(Map<String, String> environment, String name) {
        return Optional.ofNullable(environment.get(name)).map(String::strip).filter(v -> !v.isEmpty());
    }

    private static URI endpoint(String text, String source, boolean base) {
        URI uri;
        try {
            uri = URI.create(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(source + " is not a URL");
        }
        if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
            throw new IllegalArgumentException(source + " must be an http:// or https:// URL with a host");
        }
        if (uri.getUserInfo() != null || uri.getQuery() != null) {
            throw new IllegalArgumentException(source + " must not carry credentials or a query; use"
                    + " OTEL_EXPORTER_OTLP_HEADERS for a collector's key");
        }
        return base ? URI.create(text.replaceAll("/+$", "") + "/v1/traces") : uri;
    }

    /** OTLP's header list: {@code key1=value1,key2=value2}, values URL-encoded. */
    private static Map<String, String> headers(String list) {
        Map<String, String> headers = new LinkedHashMap<>();
        for (String pair : list.split(",")) {
            if (pair.isBlank()) {
                continue;
            }
            int equals = pair.indexOf('=');
            if (equals < 1) {
                throw new IllegalArgumentException(
                        "OTEL_EXPORTER_OTLP_HEADERS must be key=value pairs separated by commas");
            }
            headers.put(
                    pair.substring(0, equals).strip(),
                    java.net.URLDecoder.decode(
                            pair.substring(equals + 1).strip(), java.nio.charset.StandardCharsets.UTF_8));
        }
        return headers;
    }

    @Override
    public String toString() {
        return "TraceExport[endpoint=" + endpoint + ", headers=" + headers.keySet() + " (values hidden), serviceName="
                + serviceName + "]";
    }
}
