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
            case AuthScheme.AwsSignature aws -> {
                // Without its own secret a signer would reach for the host's identity; that is never done.
                if (!credentials.isPresent()) {
                    throw new IllegalArgumentException(
                            "deployment " + id + ": an AWS-signed deployment needs its own aws_secret_access_key");
                }
                for (String signed : new String[] {"authorization", "x-amz-date", "x-amz-security-token"}) {
                    if (extraHeaders.contains(signed)) {
                        throw new IllegalArgumentException("deployment " + id + ": extra header '" + signed
                                + "' would replace part of its AWS signature");
                    }
                }
            }
            case AuthScheme.MintedToken token -> {
                if (!credentials.isPresent()) {
                    throw new IllegalArgumentException(
                            "deployment " + id + ": a token-minting deployment needs its own service account key");
                }
                if (extraHeaders.contains("authorization")) {
                    throw new IllegalArgumentException("deployment " + id
                            + ": extra header 'authorization' would replace its minted access token");
                }
            }
        }
    }

    /**
     * Masks every secret of this deployment in a text about to leave the gateway (an upstream's error body that
     * echoes a key or a session token, say).
     *
     * @param text any text; must not be null
     * @return the text with each of the deployment's secrets replaced by a mask
     */
    public String redactSecrets(String text) {
        String safe = credentials.redactFrom(text);
        return switch (authScheme) {
            case AuthScheme.KeyHeader header -> safe;
            case AuthScheme.AwsSignature aws ->
                aws.sessionToken().map(token -> token.redactFrom(safe)).orElse(safe);
            case AuthScheme.MintedToken token -> safe;
        };
    }
}
