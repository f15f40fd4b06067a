package dev.keyline.adapters.providers.common;

import dev.keyline.domain.deployment.Deployment;
import dev.keyline.domain.failure.ProviderFailure;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLException;

/**
 * Classifies an exception from the HTTP client. The reason names the kind of failure only (errors name the
 * deployment's id beside it): exception messages can hold URLs and headers, and where an upstream listens is the
 * operator's business. One exception: a host name that does not resolve is named, since the name is what is wrong
 * (a typo, a VPN that is down), it is the configuration's own word, and no address or port goes with it.
 */
public final class TransportFailures {

    private TransportFailures() {}

    /**
     * @param waited the read timeout the call had, named when it ran out
     */
    public static ProviderFailure classify(Deployment deployment, Duration waited, Throwable thrown) {
        for (Throwable cause = thrown; cause != null; cause = cause.getCause()) {
            if (cause instanceof SocketTimeoutException || cause instanceof TimeoutException) {
                return new ProviderFailure.Timeout(waited);
            }
            if (cause instanceof ConnectException) {
                return new ProviderFailure.ConnectionFailed("the connection was refused");
            }
            if (cause instanceof UnknownHostException || unresolved(cause)) {
                return new ProviderFailure.ConnectionFailed("could not resolve " + host(deployment));
            }
            if (cause instanceof SSLException) {
                return new ProviderFailure.ConnectionFailed("the TLS handshake failed ("
                        + (cause.getMessage() != null && cause.getMessage().contains("PKIX")
                                ? "its certificate is not trusted"
                                : cause.getClass().getSimpleName())
                        + ")");
            }
            if (cause instanceof NoRouteToHostException) {
                return new ProviderFailure.ConnectionFailed("there is no route to its host");
            }
            if (cause instanceof SocketException
                    && cause.getMessage() != null
                    && cause.getMessage().toLowerCase(Locale.ROOT).contains("reset")) {
                return new ProviderFailure.ConnectionFailed("the upstream reset the connection");
            }
        }
        return new ProviderFailure.ConnectionFailed(
                "the connection failed (" + thrown.getClass().getSimpleName() + ")");
    }

    /** Helidon's client reports a name that does not resolve with this, and no cause. */
    private static boolean unresolved(Throwable cause) {
        return cause instanceof IllegalArgumentException
                && cause.getMessage() != null
                && cause.getMessage().startsWith("Failed to get address for host");
    }

    private static String host(Deployment deployment) {
        String host = deployment.endpoint().base().getHost();
        return host == null ? "its host name" : host;
    }
}
