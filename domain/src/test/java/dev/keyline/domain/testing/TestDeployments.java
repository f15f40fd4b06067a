package dev.keyline.domain.testing;

import dev.keyline.domain.deployment.AuthScheme;
import dev.keyline.domain.deployment.Credentials;
import dev.keyline.domain.deployment.Deployment;
import dev.keyline.domain.deployment.DeploymentId;
import dev.keyline.domain.deployment.Endpoint;
import dev.keyline.domain.deployment.ExtraHeaders;
import dev.keyline.domain.deployment.ModelGroupName;
import dev.keyline.domain.deployment.RoutingHints;
import java.time.Duration;
import java.util.Map;

/**
 * The deployments of every module's tests (shared through the domain's test-jar). Each deployment of
 * {@link #deployment(String, String)} has its own origin and its own key, so a test can tell from a journaled call
 * which deployment's settings it carried.
 */
public final class TestDeployments {

    /** The key of the deployments made by {@link #at} and {@link #kimi}. */
    public static final String KEY = "sk-deployment-key-7f3a";

    private TestDeployments() {}

    /** @return deployment {@code id} of {@code group}, at {@code http://<id>.upstream.test/anthropic} with key {@code sk-key-of-<id>} */
    public static Deployment deployment(String id, String group) {
        return deployment(id, group, RoutingHints.defaults());
    }

    /** @return the same, with these routing hints */
    public static Deployment deployment(String id, String group, RoutingHints routing) {
        return new Deployment(
                new DeploymentId(id),
                new ModelGroupName(group),
                "anthropic",
                "model-of-" + id,
                Endpoint.parse("http://" + id + ".upstream.test/anthropic"),
                Credentials.of("sk-key-of-" + id),
                AuthScheme.X_API_KEY,
                new ExtraHeaders(Map.of("X-Tenant", "t-1")),
                Duration.ofSeconds(30),
                Duration.ofSeconds(30),
                routing);
    }

    /** @return the user's Kimi deployment ({@code kimi-k2.5} behind Tencent's {@code /plan/anthropic}) on a test upstream */
    public static Deployment kimi(String upstreamBaseUrl) {
        return at(upstreamBaseUrl + "/plan/anthropic", AuthScheme.X_API_KEY, Duration.ofSeconds(5));
    }

    /** @return that deployment at another {@code api_base}, auth scheme and timeout; key {@link #KEY}, header X-Tenant t-42 */
    public static Deployment at(String apiBase, AuthScheme scheme, Duration timeout) {
        return new Deployment(
                new DeploymentId("kimi-a"),
                new ModelGroupName("kimi-k2.5-tencent-claude"),
                "anthropic",
                "kimi-k2.5",
                Endpoint.parse(apiBase),
                Credentials.of(KEY),
                scheme,
                new ExtraHeaders(Map.of("X-Tenant", "t-42")),
                timeout,
                timeout,
                RoutingHints.defaults());
    }

    public static Deployment withProvider(Deployment d, String provider) {
        return copy(d, provider, d.endpoint(), d.credentials(), d.extraHeaders(), d.timeout());
    }

    public static Deployment withEndpoint(Deployment d, Endpoint endpoint) {
        return copy(d, d.provider(), endpoint, d.credentials(), d.extraHeaders(), d.timeout());
    }

    public static Deployment withCredentials(Deployment d, Credentials credentials) {
        return copy(d, d.provider(), d.endpoint(), credentials, d.extraHeaders(), d.timeout());
    }

    public static Deployment withExtraHeaders(Deployment d, ExtraHeaders headers) {
        return copy(d, d.provider(), d.endpoint(), d.credentials(), headers, d.timeout());
    }

    public static Deployment withTimeout(Deployment d, Duration timeout) {
        return copy(d, d.provider(), d.endpoint(), d.credentials(), d.extraHeaders(), timeout);
    }

    /** @return that deployment with its own {@code stream_timeout}: the time its streams have to send a first event */
    public static Deployment withStreamTimeout(Deployment d, Duration firstByte) {
        return new Deployment(
                d.id(),
                d.group(),
                d.provider(),
                d.providerModel(),
                d.endpoint(),
                d.credentials(),
                d.authScheme(),
                d.extraHeaders(),
                d.timeout(),
                firstByte,
                d.routing());
    }

    private static Deployment copy(
            Deployment d,
            String provider,
            Endpoint endpoint,
            Credentials credentials,
            ExtraHeaders headers,
            Duration timeout) {
        return new Deployment(
                d.id(),
                d.group(),
                provider,
                d.providerModel(),
                endpoint,
                credentials,
                d.authScheme(),
                headers,
                timeout,
                timeout,
                d.routing());
    }
}
