package dev.keyline.adapters.providers.bedrock;

import dev.keyline.adapters.providers.anthropic.CredentialFailure;
import dev.keyline.adapters.providers.common.UpstreamExchange;
import dev.keyline.domain.deployment.AuthScheme;
import dev.keyline.domain.deployment.Credentials;
import dev.keyline.domain.deployment.Deployment;
import dev.keyline.domain.deployment.DeploymentId;
import io.helidon.http.HeaderNames;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webclient.http1.Http1ClientRequest;
import io.helidon.webclient.http1.Http1ClientResponse;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Document;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;

/**
 * Temporary keys for deployments that name {@code aws_role_name}: STS {@code AssumeRole}, called with the deployment's
 * own keys at its own STS endpoint, signed like any AWS call, and kept until shortly before they expire. One session
 * per deployment; a deployment's calls wait for one refresh rather than each asking STS.
 */
final class AssumedRoles {

    /** Temporary keys are renewed this long before they expire, so no call is signed with keys about to lapse. */
    static final Duration RENEW_BEFORE = Duration.ofMinutes(5);

    private static final Duration SESSION_LENGTH = Duration.ofHours(1);

    private final Http1Client http;
    private final SigV4Signer signer;
    private final InstantSource clock;
    /** Keyed by the deployment and the identity it assumes with, so a session is only ever those keys'. */
    private final Map<SessionKey, Session> sessions = new ConcurrentHashMap<>();

    private record SessionKey(DeploymentId deployment, AuthScheme.AwsSignature scheme, Credentials secret) {}

    AssumedRoles(Http1Client http, SigV4Signer signer, InstantSource clock) {
        this.http = http;
        this.signer = signer;
        this.clock = clock;
    }

    /** @return the role's temporary keys for this deployment, assumed now if it has none fresh */
    SigV4Signer.AwsKeys keys(
            Deployment deployment, AuthScheme.AwsSignature aws, AuthScheme.AwsRole role, SigV4Signer.AwsKeys base)
            throws CredentialFailure {
        Session session = sessions.computeIfAbsent(
                new SessionKey(deployment.id(), aws, deployment.credentials()), id -> new Session());
        session.lock.lock();
        try {
            if (session.keys == null || !clock.instant().isBefore(session.expires.minus(RENEW_BEFORE))) {
                assume(deployment, aws, role, base, session);
            }
            return session.keys;
        } finally {
            session.lock.unlock();
        }
    }

    private void assume(
            Deployment deployment,
            AuthScheme.AwsSignature aws,
            AuthScheme.AwsRole role,
            SigV4Signer.AwsKeys base,
            Session session)
            throws CredentialFailure {
        byte[] form = ("Action=AssumeRole&Version=2011-06-15&RoleArn=" + encode(role.roleArn()) + "&RoleSessionName="
                        + encode(role.sessionName()) + "&DurationSeconds=" + SESSION_LENGTH.toSeconds())
                .getBytes(StandardCharsets.UTF_8);
        // As servers write it back (Jetty normalises the charset), so a server that reads headers that way agrees.
        String contentType = "application/x-www-form-urlencoded; charset=UTF-8";
        Http1ClientRequest call = http.post()
                .uri(role.sts())
                .readTimeout(deployment.timeout())
                .header(HeaderNames.CONTENT_TYPE, contentType)
                .header(HeaderNames.ACCEPT, "text/xml");
        signer.sign(role.sts(), Map.of("content-type", contentType), form, "sts", aws.region(), base)
                .forEach((name, value) -> call.header(HeaderNames.create(name), value));
        String failed = "deployment " + deployment.id() + ": STS did not assume its role " + role.roleArn();
        try (Http1ClientResponse response = call.submit(form)) {
            int status = response.status().code();
            if (status != 200) {
                throw new CredentialFailure(failed + " (HTTP " + status + ")");
            }
            Document answer = parse(UpstreamExchange.readAll(response));
            String keyId = text(answer, "AccessKeyId");
            String secret = text(answer, "SecretAccessKey");
            String token = text(answer, "SessionToken");
            Instant expires = Instant.parse(text(answer, "Expiration"));
            if (keyId.isEmpty() || secret.isEmpty() || token.isEmpty()) {
                throw new CredentialFailure(failed + " (its answer holds no credentials)");
            }
            session.keys = new SigV4Signer.AwsKeys(keyId, secret, Optional.of(token));
            session.expires = expires;
        } catch (IOException | RuntimeException | SAXException | ParserConfigurationException e) {
            if (e instanceof DateTimeParseException) {
                throw new CredentialFailure(failed + " (its answer has no readable expiry)");
            }
            throw new CredentialFailure(failed + " (" + e.getClass().getSimpleName() + ")");
        }
    }

    private static Document parse(byte[] xml) throws ParserConfigurationException, IOException, SAXException {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        // An answer is data, never instructions: no DTDs, no external entities.
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        factory.setExpandEntityReferences(false);
        factory.setNamespaceAware(false);
        return factory.newDocumentBuilder().parse(new ByteArrayInputStream(xml));
    }

    private static String text(Document document, String element) {
        NodeList found = document.getElementsByTagName(element);
        return found.getLength() == 0 ? "" : found.item(0).getTextContent().strip();
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** One deployment's temporary keys; guarded by its lock. */
    private static final class Session {
        private final ReentrantLock lock = new ReentrantLock();
        private SigV4Signer.AwsKeys keys;
        private Instant expires = Instant.EPOCH;
    }
}
