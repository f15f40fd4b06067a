package dev.keyline.app.tracing;

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

    private OtlpTracing(SdkTracerProvider provider, String version) {
        this.provider = provider;
        this.version = version;
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
        SdkTracerProvider provider = SdkTracerProvider.builder()
                .setResource(Resource.getDefault()
                        .merge(Resource.create(
                                Attributes.of(SERVICE_NAME, export.serviceName(), SERVICE_VERSION, version))))
                .addSpanProcessor(BatchSpanProcessor.builder(exporter.build()).build())
                .build();
        return new OtlpTracing(provider, version);
    }

    public Tracer tracer() {
        return provider.get("dev.keyline", version);
    }

    /** Exports what is left, waiting up to 5 s. */
    @Override
    public void close() {
        provider.shutdown().join(5, TimeUnit.SECONDS);
    }
}
