package dev.keyline.adapters.frontdoors.server;

import io.helidon.http.DirectHandler;
import io.helidon.http.HeaderNames;
import io.helidon.http.ServerResponseHeaders;
import io.helidon.http.Status;

/**
 * Answers requests the server rejects before any route runs (a body over the size limit, a malformed request
 * line) in the Anthropic shape. Helidon's own message is not echoed: it can quote the offending header.
 */
public final class TransportErrorHandler implements DirectHandler {

    private final long maxBodyBytes;

    public TransportErrorHandler(long maxBodyBytes) {
        this.maxBodyBytes = maxBodyBytes;
    }

    @Override
    public TransportResponse handle(
            TransportRequest request,
            EventType eventType,
            Status defaultStatus,
            ServerResponseHeaders responseHeaders,
            String message) {
        int status = defaultStatus.code();
        String text = switch (status) {
            case 413 -> "the request body is larger than this gateway accepts (" + size(maxBodyBytes) + ")";
            case 505 -> "this HTTP version is not supported";
            default -> status >= 500 ? "the gateway could not process the request" : "the request is malformed";
        };
        return TransportResponse.builder()
                .status(defaultStatus)
                .headers(responseHeaders)
                .header(HeaderNames.CONTENT_TYPE, "application/json")
                .entity(AnthropicErrors.body(AnthropicErrors.typeFor(status), text))
                .build();
    }

    private static String size(long bytes) {
        long mebibyte = 1024L * 1024;
        return bytes % mebibyte == 0 ? bytes / mebibyte + " MB" : bytes + " bytes";
    }
}
