package dev.keyline.app.operations;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.sun.net.httpserver.HttpServer;
import dev.keyline.app.KeylineServer;
import dev.keyline.app.config.ConfigLoader;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Traces over OTLP/HTTP, to a receiver in the test that decodes them with OpenTelemetry's own protobuf classes: a
 * web-search loop is one trace, a server span with a client span per model call and one per search, each carrying
 * the request's id and nothing secret; a client's {@code traceparent} is the request's parent, and each upstream call
 * sends its own span as {@code traceparent}; with no endpoint named, nothing is sent anywhere but the client's own
 * {@code traceparent}, passed on.
 */
class TracesExportTest {

    private static final String KEY = "sk-traces-deployment-7";
    private static final String COLLECTOR_KEY = "collector-secret-8";

    @RegisterExtension
    static WireMockExtension upstream = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"))
            .build();

    private final HttpClient http = HttpClient.newHttpClient();
    private final List<byte[]> exports = Collections.synchronizedList(new ArrayList<>());
    private final List<String> authorizations = Collections.synchronizedList(new ArrayList<>());
    private HttpServer collector;
    private KeylineServer keyline;

    @BeforeEach
    void listen() throws Exception {
        collector = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        collector.createContext("/v1/traces", exchange -> {
            try (InputStream body = exchange.getRequestBody()) {
                exports.add(body.readAllBytes());
            }
            authorizations.add(exchange.getRequestHeaders().getFirst("authorization"));
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        collector.start();
        LoopUpstream.stub(upstream);
    }

    @AfterEach
    void stop() {
        if (keyline != null) {
            keyline.close();
        }
        collector.stop(0);
    }

    @Test
    void aLoop_isOneTrace_ofTheRequestItsModelCallsAndItsSearches() throws Exception {
        keyline = start(Map.of(
                "KEY",
                KEY,
                "OTEL_EXPORTER_OTLP_ENDPOINT",
                "http://127.0.0.1:" + collector.getAddress().getPort(),
                "OTEL_EXPORTER_OTLP_HEADERS",
                "authorization=Bearer%20" + COLLECTOR_KEY,
                "OTEL_SERVICE_NAME",
                "keyline-test"));

        HttpResponse<String> loop = send(LoopUpstream.LOOP_REQUEST);
        assertEquals(200, loop.statusCode(), loop.body());
        String requestId = loop.headers().firstValue("request-id").orElseThrow();
        keyline.close(); // sends what is left
        keyline = null;

        List<Span> spans = new ArrayList<>();
        String serviceName = "";
        synchronized (exports) {
            for (byte[] export : exports) {
                assertFalse(new String(export, StandardCharsets.ISO_8859_1).contains(KEY), "a key in a span");
                for (ResourceSpans resource :
                        ExportTraceServiceRequest.parseFrom(export).getResourceSpansList()) {
                    serviceName = attribute(resource.getResource().getAttributesList(), "service.name");
                    for (ScopeSpans scope : resource.getScopeSpansList()) {
                        spans.addAll(scope.getSpansList());
                    }
                }
            }
        }
        assertEquals("keyline-test", serviceName);
        assertEquals(
                List.of("Bearer " + COLLECTOR_KEY),
                authorizations.stream().distinct().toList());
        Span root = only(spans, "POST /v1/messages");
        List<Span> calls = named(spans, "chat g");
        List<Span> searches = named(spans, "web_search");
        assertEquals(2, calls.size(), "two model calls");
        assertEquals(2, searches.size(), "two searches");
        assertEquals(5, spans.size());
        assertEquals(Span.SpanKind.SPAN_KIND_SERVER, root.getKind());
        assertEquals(requestId, attribute(root.getAttributesList(), "keyline.request_id"));
        assertEquals("200", attribute(root.getAttributesList(), "http.response.status_code"));
        assertEquals("2", attribute(root.getAttributesList(), "keyline.searches"));
        for (Span child : concat(calls, searches)) {
            assertEquals(root.getTraceId(), child.getTraceId(), "one trace");
            assertEquals(root.getSpanId(), child.getParentSpanId(), "under the request");
            assertTrue(child.getStartTimeUnixNano() >= root.getStartTimeUnixNano());
            assertTrue(child.getEndTimeUnixNano() <= root.getEndTimeUnixNano());
        }
        calls.sort((x, y) -> Long.compare(x.getStartTimeUnixNano(), y.getStartTimeUnixNano()));
        assertEquals("first", attribute(calls.get(0).getAttributesList(), "keyline.hop.role"));
        assertEquals("follow_up", attribute(calls.get(1).getAttributesList(), "keyline.hop.role"));
        assertEquals("a", attribute(calls.get(1).getAttributesList(), "keyline.deployment"));
        assertEquals("30", attribute(calls.get(1).getAttributesList(), "gen_ai.usage.input_tokens"));
        assertEquals("req_upstream_7", attribute(calls.get(1).getAttributesList(), "keyline.upstream_request_id"));
        for (Span search : searches) {
            assertEquals("1", attribute(search.getAttributesList(), "keyline.hop"), "asked for by the first answer");
            assertTrue(search.getStartTimeUnixNano() >= calls.get(0).getEndTimeUnixNano(), "after the first answer");
            assertTrue(search.getEndTimeUnixNano() <= calls.get(1).getStartTimeUnixNano(), "before the follow-up");
        }
    }

    @Test
    void aClientsTraceparent_isTheRequestsParent_andEachCallSendsItsOwnSpanUpstream() throws Exception {
        String clientTrace = "4bf92f3577b34da6a3ce929d0e0e4736";
        String clientSpan = "00f067aa0ba902b7";
        keyline = start(Map.of(
                "KEY",
                KEY,
                "OTEL_EXPORTER_OTLP_ENDPOINT",
                "http://127.0.0.1:" + collector.getAddress().getPort()));

        HttpResponse<String> loop = send(LoopUpstream.LOOP_REQUEST, "00-" + clientTrace + "-" + clientSpan + "-01");
        assertEquals(200, loop.statusCode(), loop.body());
        keyline.close();
        keyline = null;

        List<Span> spans = exported();
        Span root = only(spans, "POST /v1/messages");
        assertEquals(clientTrace, hex(root.getTraceId()), "the client's trace");
        assertEquals(clientSpan, hex(root.getParentSpanId()), "under the client's span");
        List<Span> calls = named(spans, "chat g");
        calls.sort((x, y) -> Long.compare(x.getStartTimeUnixNano(), y.getStartTimeUnixNano()));
        List<String> sent = upstream.getAllServeEvents().stream()
                .sorted((x, y) ->
                        x.getRequest().getLoggedDate().compareTo(y.getRequest().getLoggedDate()))
                .filter(e -> e.getRequest().getUrl().endsWith("/v1/messages"))
                .map(e -> e.getRequest().getHeader("traceparent"))
                .toList();
        assertEquals(
                calls.stream()
                        .map(c -> "00-" + clientTrace + "-" + hex(c.getSpanId()) + "-01")
                        .toList(),
                sent,
                "each call sends its own client span as traceparent, in the client's trace");
    }

    @Test
    void withTracesOff_theClientsTraceparentReachesTheUpstreamUnchanged() throws Exception {
        keyline = start(Map.of("KEY", KEY));
        String traceparent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";

        assertEquals(200, send(LoopUpstream.LOOP_REQUEST, traceparent).statusCode());
        assertEquals(200, send(LoopUpstream.LOOP_REQUEST, "not-a-traceparent").statusCode());

        List<String> sent = upstream.getAllServeEvents().stream()
                .filter(e -> e.getRequest().getUrl().endsWith("/v1/messages"))
                .map(e -> String.valueOf(e.getRequest().getHeader("traceparent")))
                .distinct()
                .sorted()
                .toList();
        assertEquals(List.of(traceparent, "null"), sent, "a valid one passed on; an invalid one dropped");
    }

    @Test
    void withNoEndpoint_noSpanLeaves() throws Exception {
        keyline = start(Map.of("KEY", KEY));

        assertEquals(200, send(LoopUpstream.LOOP_REQUEST).statusCode());
        keyline.close();
        keyline = null;

        assertTrue(exports.isEmpty());
    }

    private KeylineServer start(Map<String, String> environment) {
        return KeylineServer.start(
                new ConfigLoader(environment)
                        .parse(LoopUpstream.CONFIG.formatted(upstream.baseUrl()) + """
                                        litellm_settings:
                                          callbacks: [websearch_interception]
                                        """, "traces.yaml"),
                "127.0.0.1",
                0,
                InstantSource.system());
    }

    private HttpResponse<String> send(String body) throws Exception {
        return send(body, null);
    }

    private HttpResponse<String> send(String body, String traceparent) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(keyline.baseUrl() + "/v1/messages"))
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (traceparent != null) {
            request.header("traceparent", traceparent);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private List<Span> exported() throws Exception {
        List<Span> spans = new ArrayList<>();
        synchronized (exports) {
            for (byte[] export : exports) {
                for (ResourceSpans resource :
                        ExportTraceServiceRequest.parseFrom(export).getResourceSpansList()) {
                    for (ScopeSpans scope : resource.getScopeSpansList()) {
                        spans.addAll(scope.getSpansList());
                    }
                }
            }
        }
        return spans;
    }

    private static String hex(com.google.protobuf.ByteString id) {
        return java.util.HexFormat.of().formatHex(id.toByteArray());
    }

    private static Span only(List<Span> spans, String name) {
        List<Span> found = named(spans, name);
        assertEquals(
                1,
                found.size(),
                name + " in " + spans.stream().map(Span::getName).toList());
        return found.get(0);
    }

    private static List<Span> named(List<Span> spans, String name) {
        return new ArrayList<>(
                spans.stream().filter(s -> s.getName().equals(name)).toList());
    }

    private static List<Span> concat(List<Span> a, List<Span> b) {
        List<Span> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    /** @return an attribute's value as text, whatever its type */
    private static String attribute(List<KeyValue> attributes, String key) {
        Optional<KeyValue> found =
                attributes.stream().filter(a -> a.getKey().equals(key)).findFirst();
        assertTrue(found.isPresent(), "no attribute " + key + " in " + attributes);
        var value = found.get().getValue();
        return switch (value.getValueCase()) {
            case STRING_VALUE -> value.getStringValue();
            case INT_VALUE -> Long.toString(value.getIntValue());
            case DOUBLE_VALUE -> Double.toString(value.getDoubleValue());
            case BOOL_VALUE -> Boolean.toString(value.getBoolValue());
            default -> value.toString();
        };
    }
}
