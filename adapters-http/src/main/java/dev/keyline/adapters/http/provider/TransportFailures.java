package dev.keyline.adapters.http.provider;

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

/**
 * Classifies an exception from the HTTP client. The reason names the kind of failure only: exception messages can
 * hold URLs and headers, and an upstream's address is the operator's business, not the client's (errors name the
 * deployment's id instead).
 */
final class TransportFailures {

    private TransportFailures() {}

    /**
     * @param waited the read timeout the call had, named when it ran out
     */
    static ProviderFailure classify(Deployment deployment, Duration waited, Throwable thrown) {
        for (Throwable cause = thrown; cause != null; cause = cause.getCause()) {
            if (cause instanceof SocketTimeoutException || cause instanceof TimeoutException) {
                return new ProviderFailure.Timeout(waited);
            }
            if (cause instanceof ConnectException) {
                return new ProviderFailure.ConnectionFailed("the connection was refused");
            }
            if (cause instanceof UnknownHostException) {
                return new ProviderFailure.ConnectionFailed("its host name could not be resolved");
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
}
