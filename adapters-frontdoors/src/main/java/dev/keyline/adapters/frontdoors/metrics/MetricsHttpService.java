package dev.keyline.adapters.frontdoors.metrics;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.io.OutputStream;

/** {@code GET /metrics}: every metric in Prometheus's text format, for a scraper. */
public final class MetricsHttpService implements HttpService {

    private final PrometheusTelemetry telemetry;

    public MetricsHttpService(PrometheusTelemetry telemetry) {
        this.telemetry = telemetry;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/", this::scrape);
    }

    private void scrape(ServerRequest req, ServerResponse res) throws IOException {
        res.header(HeaderNames.CONTENT_TYPE, PrometheusTelemetry.contentType());
        try (OutputStream out = res.outputStream()) {
            telemetry.scrape(out);
        }
    }
}
