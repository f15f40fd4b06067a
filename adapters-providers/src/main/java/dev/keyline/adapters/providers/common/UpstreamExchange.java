package dev.keyline.adapters.providers.common;

import dev.keyline.adapters.wire.BodyBytes;
import dev.keyline.domain.deployment.AuthScheme;
import dev.keyline.domain.deployment.Deployment;
import dev.keyline.domain.failure.ProviderFailure;
import dev.keyline.ports.out.HopObserver;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webclient.http1.Http1ClientRequest;
import io.helidon.webclient.http1.Http1ClientResponse;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * The HTTP every provider adapter does the same way, whatever its protocol: a call that carries one deployment's key
 * and headers, an error answer turned into a classified failure with the key masked, a redirect refused, a stream
 * answer checked for its content type.
 */
public final class UpstreamExchange {

    public static final String JSON = "application/json";
    public static final String EVENT_STREAM = "text/event-stream";

    private static final HeaderName TRACEPARENT = HeaderNames.create("traceparent");

    private UpstreamExchange() {}

    /**
     * A call to a deployment. Its read timeout is always the deployment's own {@code timeout}: the client pools
     * connections per read timeout, so a value that varied per call (a request's remaining deadline) would open, and
     * keep, a connection per call. A shorter budget is held by {@link FirstByteWatch} instead.
     *
     * @param hop             the call's entry in the request's journal: its {@code traceparent}, when it has one
     * @param protocolHeaders the protocol's own headers; the deployment's key and extra headers are set after them,
     *                        so a deployment's extra header wins over a client's header of the same name
     */
    public static Http1ClientRequest post(
            Http1Client http,
            URI uri,
            Deployment deployment,
            String accept,
            HopObserver hop,
            Consumer<Http1ClientRequest> protocolHeaders) {
        Http1ClientRequest call = http.post()
                .uri(uri)
                .readTimeout(deployment.timeout())
                .header(HeaderNames.CONTENT_TYPE, JSON)
                .header(HeaderNames.ACCEPT, accept);
        hop.traceparent().ifPresent(parent -> call.header(TRACEPARENT, parent));
        protocolHeaders.accept(call);
        switch (deployment.authScheme()) {
            case AuthScheme.KeyHeader header ->
                deployment
                        .credentials()
                        .reveal()
                        .ifPresent(key -> call.header(HeaderNames.create(header.name()), header.value(key)));
            // Signed or minted once the body is known, by the host's adapter (MessagesHost.authenticate).
            case AuthScheme.AwsSignature signed -> {}
            case AuthScheme.MintedToken minted -> {}
        }
        deployment.extraHeaders().values().forEach((name, value) -> call.header(HeaderNames.create(name), value));
        return call;
    }

    /**
     * The failure a 3xx, 4xx or 5xx answer is.
     *
     * @param anthropicShape turns the upstream's error body into the Anthropic shape (the identity for Anthropic)
     * @param otherWait      the protocol's own wait when no {@code retry-after} is given
     */
    public static ProviderFailure failure(
            Deployment deployment,
            Http1ClientResponse response,
            int status,
            InstantSource clock,
            UnaryOperator<String> anthropicShape,
            Supplier<Optional<Duration>> otherWait) {
        if (status < 400) {
            return new ProviderFailure.MalformedReply(
                    status,
                    "the upstream answered with a redirect; Keyline does not follow redirects, so a key never leaves "
                            + "its deployment's origin. Set api_base to the final address");
        }
        String body;
        try {
            body = new String(readAll(response), StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException e) {
            body = "";
        }
        // Some upstreams echo the key they refused; it must not reach the client or the logs.
        String safe = deployment.redactSecrets(anthropicShape.apply(body));
        Optional<Duration> wait = RetryAfter.parse(
                        response.headers().first(HeaderNames.create("retry-after-ms")),
                        response.headers().first(HeaderNames.RETRY_AFTER),
                        clock)
                .or(otherWait);
        return ProviderFailure.fromHttpStatus(status, safe, wait);
    }

    /** @return why a 2xx answer to a stream request is not an SSE event stream, if it is not */
    public static Optional<ProviderFailure> notAnEventStream(Http1ClientResponse response, int status) {
        return notAnEventStream(response, status, EVENT_STREAM);
    }

    /** @return why a 2xx answer to a stream request does not have the stream's content type, if it does not */
    public static Optional<ProviderFailure> notAnEventStream(
            Http1ClientResponse response, int status, String streamType) {
        String contentType = response.headers().first(HeaderNames.CONTENT_TYPE).orElse("");
        return contentType.toLowerCase(Locale.ROOT).startsWith(streamType)
                ? Optional.empty()
                : Optional.of(new ProviderFailure.MalformedReply(
                        status,
                        "the upstream answered a stream request with '" + contentType + "', not an event stream"));
    }

    /** @return the whole body of an answer, read into one array of its declared length when it has one */
    public static byte[] readAll(Http1ClientResponse response) throws IOException {
        return BodyBytes.readAll(response.inputStream(), response.headers().contentLength());
    }
}
