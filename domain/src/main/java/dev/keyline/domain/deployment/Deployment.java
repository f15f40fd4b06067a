package dev.keyline.domain.deployment;

import java.time.Duration;
import java.util.Objects;

/**
 * One upstream that serves a model group: where it lives, the key that belongs to it and how to present that key.
 * Every provider call takes a whole {@code Deployment}, never a loose base URL or key, so a call cannot mix one
 * deployment's address with another's credentials.
 *
 * @param id            stable identity, safe to show
 * @param group         the model group it serves
 * @param provider      the provider family, e.g. {@code anthropic}
 * @param providerModel the model name the upstream expects, e.g. {@code kimi-k2.5}
 * @param endpoint      the {@code api_base}
 * @param credentials   the key sent to this endpoint and nowhere else
 * @param authScheme    how the key is presented
 * @param extraHeaders  headers added to every call to this deployment
 * @param timeout       how long a call may wait for the upstream's next bytes before it counts as timed out
 * @param firstByteTimeout how long a stream may take to send its first event ({@code stream_timeout}; the
 *                      {@code timeout} when not set), so a silent upstream is left for another at once
 * @param routing       weight, order and limits for the router
 */
public record Deployment(
        DeploymentId id,
        ModelGroupName group,
        String provider,
        String providerModel,
        Endpoint endpoint,
        Credentials credentials,
        AuthScheme authScheme,
        ExtraHeaders extraHeaders,
        Duration timeout,
        Duration firstByteTimeout,
        RoutingHints routing) {

    public Deployment {
        Objects.requireNonNull(id, "'id' must not be null");
        Objects.requireNonNull(group, "'group' must not be null");
        Objects.requireNonNull(provider, "'provider' must not be null");
        Objects.requireNonNull(providerModel, "'providerModel' must not be null");
        Objects.requireNonNull(endpoint, "'endpoint' must not be null");
        Objects.requireNonNull(credentials, "'credentials' must not be null");
        Objects.requireNonNull(authScheme, "'authScheme' must not be null");
        Objects.requireNonNull(extraHeaders, "'extraHeaders' must not be null");
        Objects.requireNonNull(timeout, "'timeout' must not be null");
        Objects.requireNonNull(firstByteTimeout, "'firstByteTimeout' must not be null");
        Objects.requireNonNull(routing, "'routing' must not be null");
        if (provider.isBlank()) {
            throw new IllegalArgumentException("deployment " + id + ": provider must not be blank");
        }
        if (providerModel.isBlank()) {
            throw new IllegalArgumentException("deployment " + id + ": provider model must not be blank");
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("deployment " + id + ": timeout must be positive, was " + timeout);
        }
        if (firstByteTimeout.isNegative() || firstByteTimeout.isZero()) {
            throw new IllegalArgumentException(
                    "deployment " + id + ": stream_timeout must be positive, was " + firstByteTimeout);
        }
        switch (authScheme) {
            case AuthScheme.KeyHeader header -> {
                if (credentials.isPresent() && extraHeaders.contains(header.name())) {
                    throw new IllegalArgumentException("deployment " + id + ": extra header '" + header.name()
                            + "' would replace its api_key; set one or the other");
                }
            }
        }
    }
}
