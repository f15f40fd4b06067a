package dev.keyline.adapters.http.provider;

import dev.keyline.domain.deployment.Deployment;
import dev.keyline.domain.failure.ProviderFailure;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.concurrent.TimeoutException;

/**
 * Classifies an exception from the HTTP client. The reason names the deployment's origin and the kind of failure
 * only: exception messages can hold URLs and headers, and none of that leaves the gateway.
 */
final class TransportFailures {

    private TransportFailures() {}

    static ProviderFailure classify(Deployment deployment, Throwable thrown) {
        String origin = deployment.endpoint().origin();
        for (Throwable cause = thrown; cause != null; cause = cause.getCause()) {
            if (cause instanceof SocketTimeoutException || cause instanceof TimeoutException) {
                return new ProviderFailure.Timeout(deployment.timeout());
            }
            if (cause instanceof ConnectException) {
                return new ProviderFailure.ConnectionFailed("could not connect to " + origin);
            }
            if (cause instanceof UnknownHostException) {
                return new ProviderFailure.ConnectionFailed("could not resolve the host of " + origin);
            }
            if (cause instanceof NoRouteToHostException) {
                return new ProviderFailure.ConnectionFailed("no route to " + origin);
            }
        }
        return new ProviderFailure.ConnectionFailed(
                "the connection to " + origin + " failed (" + thrown.getClass().getSimpleName() + ")");
    }
}
