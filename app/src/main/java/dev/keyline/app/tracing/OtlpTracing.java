package dev.keyline.app.tracing;

import dev.keyline.adapters.frontdoors.tracing.SpanIds;
import dev.keyline.app.config.TraceExport;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporterBuilder;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The OpenTelemetry SDK, set up to export spans over OTLP/HTTP in batches, in the background; made only when traces
 * are on. Its own, never the global one. Closing it sends what is left.
 */
public final class OtlpTracing implements AutoCloseable {

    private static final AttributeKey<String> SERVICE_NAME = AttributeKey.stringKey("service.name");
    private static final AttributeKey<String> SERVICE_VERSION = AttributeKey.stringKey("service.version");

    private final SdkTracerProvider provider;
    private final String version;
    private final PresetIds ids;

    private OtlpTracing(SdkTracerProvider provider, String version, PresetIds ids) {
        this.provider = provider;
        this.version = version;
        this.ids = ids;
    }

    /**
     * @param export  where the spans go
     * @param version the gateway's version, as {@code service.version}
     */
    public static OtlpTracing start(TraceExport export, String version) {
        OtlpHttpSpanExporterBuilder exporter = OtlpHttpSpanExporter.builder()
                .setEndpoint(export.endpoint().toString())
                .setTimeout(Duration.ofSeconds(10));
        export.headers().forEach(exporter::addHeader);
        PresetIds ids = new PresetIds();
        SdkTracerProvider provider = SdkTracerProvider.builder()
                .setIdGenerator(ids)
                .setResource(Resource.getDefault()
                        .merge(Resource.create(
                                Attributes.of(SERVICE_NAME, export.serviceName(), SERVICE_VERSION, version))))
                .addSpanProcessor(BatchSpanProcessor.builder(exporter.build()).build())
                .build();
        return new OtlpTracing(provider, version, ids);
    }

    public Tracer tracer() {
        return provider.get("dev.keyline", version);
    }

    /** @return where the gateway sets the ids it chose for a request's spans before they are built */
    public SpanIds spanIds() {
        return ids;
    }

    /** Exports what is left, waiting up to 5 s. */
    @Override
    public void close() {
        provider.shutdown().join(5, TimeUnit.SECONDS);
    }
}
