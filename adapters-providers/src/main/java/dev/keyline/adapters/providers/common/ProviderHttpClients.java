package dev.keyline.adapters.providers.common;

import dev.keyline.domain.deployment.Endpoint;
import io.helidon.common.socket.SocketOptions;
import io.helidon.common.tls.Tls;
import io.helidon.webclient.api.Proxy;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webclient.http1.Http1ClientConfig;
import java.time.Duration;
import java.util.Collection;

/**
 * The HTTP client every provider adapter calls through. One is built per gateway and shared by all adapters, so
 * connections to a deployment's {@code api_base} are pooled whichever protocol speaks to it.
 */
public final class ProviderHttpClients {

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

    private ProviderHttpClients() {}

    /**
     * @return an HTTP client fit for provider calls: no redirects, no expect-continue, a bounded connect time, and
     *         TCP_NODELAY so a request's headers and body are not held back by Nagle's algorithm. HTTP/1.1 only:
     *         the generic client works out the protocol again for every request, a few percent of the CPU a
     *         request costs. No proxy: a call goes to its deployment's {@code api_base} and nowhere else, never
     *         to a proxy named by JVM properties the configuration does not show (and the JVM's proxy lookup,
     *         which parsed a URI for every request, is skipped).
     */
    public static Http1Client standard() {
        return build(true);
    }

    /**
     * @param endpoints every endpoint the client will call. TLS is set up only when one of them is {@code https}:
     *                  a gateway whose deployments all speak plain HTTP (a sidecar, a vLLM on the host) then never
     *                  builds the JDK's TLS context, whose trust store parsing is ~100 ms of a start. Such a client
     *                  cannot call an {@code https} endpoint, hence the list.
     * @return a client as {@link #standard()} describes
     */
    public static Http1Client forEndpoints(Collection<Endpoint> endpoints) {
        return build(endpoints.stream().anyMatch(Endpoint::secure));
    }

    /**
     * @param trust which certificates the deployments of this client must present
     * @return a client as {@link #standard()} describes, for deployments whose {@code ssl_verify} is not the default
     */
    public static Http1Client trusting(UpstreamTrust trust) {
        Http1ClientConfig.Builder builder = Http1Client.builder();
        switch (trust) {
            case UpstreamTrust.Standard standard -> {}
            case UpstreamTrust.PrivateCa ca ->
                builder.tls(Tls.builder()
                        .trust(ca.authorities())
                        .endpointIdentificationAlgorithm(Tls.ENDPOINT_IDENTIFICATION_HTTPS)
                        .build());
            case UpstreamTrust.Unverified unverified ->
                builder.tls(Tls.builder()
                        .trustAll(true)
                        .endpointIdentificationAlgorithm(Tls.ENDPOINT_IDENTIFICATION_NONE)
                        .build());
        }
        return configured(builder);
    }

    private static Http1Client build(boolean tls) {
        Http1ClientConfig.Builder builder = Http1Client.builder();
        if (!tls) {
            builder.tls(Tls.builder().enabled(false).build());
        }
        return configured(builder);
    }

    private static Http1Client configured(Http1ClientConfig.Builder builder) {
        return builder.followRedirects(false)
                .proxy(Proxy.noProxy())
                .sendExpectContinue(false)
                // A request is already one buffer (headers and body) written at once: Helidon's 4 KB write buffer
                // would only copy it (an array the size of the request, every request).
                .writeBufferSize(0)
                .connectTimeout(CONNECT_TIMEOUT)
                .socketOptions(SocketOptions.builder()
                        .tcpNoDelay(true)
                        .connectTimeout(CONNECT_TIMEOUT)
                        .build())
                .build();
    }
}
