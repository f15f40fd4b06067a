package dev.keyline.adapters.providers.vertex;

import com.google.auth.http.HttpTransportFactory;
import com.google.auth.oauth2.AccessToken;
import com.google.auth.oauth2.GoogleCredentials;
import com.google.auth.oauth2.ServiceAccountCredentials;
import dev.keyline.adapters.providers.anthropic.CredentialFailure;
import dev.keyline.domain.deployment.AuthScheme;
import dev.keyline.domain.deployment.Credentials;
import dev.keyline.domain.deployment.Deployment;
import dev.keyline.domain.deployment.DeploymentId;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Access tokens for Vertex deployments, minted with Google's auth library from each deployment's own service
 * account key and nothing else (never application-default credentials, never a metadata server). One token source
 * per deployment; the library keeps its token and renews it before it expires.
 */
final class ServiceAccountTokens {

    static final String SCOPE = "https://www.googleapis.com/auth/cloud-platform";

    private final HttpTransportFactory transport;
    /** Keyed by the deployment and its key, so a source is only ever that key's. */
    private final Map<Source, GoogleCredentials> sources = new ConcurrentHashMap<>();

    private record Source(DeploymentId deployment, Credentials key) {}

    ServiceAccountTokens() {
        RedirectRefusingTransport shared = new RedirectRefusingTransport();
        this.transport = () -> shared;
    }

    /** @return a current access token for this deployment, minted now if it has none fresh */
    String token(Deployment deployment, AuthScheme.MintedToken minted) throws CredentialFailure {
        try {
            GoogleCredentials source = sources.computeIfAbsent(
                    new Source(deployment.id(), deployment.credentials()), id -> load(deployment));
            source.refreshIfExpired();
            AccessToken token = source.getAccessToken();
            if (token == null
                    || token.getTokenValue() == null
                    || token.getTokenValue().isBlank()) {
                throw new CredentialFailure(failed(deployment, minted, "the token endpoint gave no token"));
            }
            return token.getTokenValue();
        } catch (IOException | RuntimeException e) {
            // The library's messages can quote the token endpoint's answer; only the kind of failure is kept.
            throw new CredentialFailure(failed(deployment, minted, e.getClass().getSimpleName()));
        }
    }

    /** @return the text with this deployment's current access token masked, should an upstream echo it */
    String redact(Deployment deployment, String text) {
        GoogleCredentials source = sources.get(new Source(deployment.id(), deployment.credentials()));
        AccessToken token = source == null ? null : source.getAccessToken();
        return token == null
                        || token.getTokenValue() == null
                        || token.getTokenValue().isBlank()
                ? text
                : text.replace(token.getTokenValue(), "****");
    }

    private GoogleCredentials load(Deployment deployment) {
        String json = deployment.credentials().reveal().orElseThrow();
        try {
            return ServiceAccountCredentials.fromStream(
                            new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), transport)
                    .createScoped(List.of(SCOPE));
        } catch (IOException e) {
            throw new IllegalStateException(
                    "deployment " + deployment.id() + ": its service account key is unreadable");
        }
    }

    private static String failed(Deployment deployment, AuthScheme.MintedToken minted, String why) {
        return "deployment " + deployment.id() + ": no access token was minted for " + minted.account() + " (" + why
                + ")";
    }
}
