package dev.keyline.domain.deployment;

import java.net.URI;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * How a deployment presents its key. Which schemes a provider accepts, and under which configuration names, is the
 * provider's own fact (its descriptor in the provider registry); the domain only knows the shapes a scheme can take.
 * A scheme that is not a header (a signed request, a minted token) is a new permitted type, and every place that
 * presents a key then fails to compile until it handles it.
 */
public sealed interface AuthScheme {

    /** {@code x-api-key: <key>}, Anthropic's native scheme. */
    AuthScheme X_API_KEY = new KeyHeader("x-api-key", "");

    /** {@code authorization: Bearer <key>}, OpenAI's, and used by many Anthropic-compatible hosts. */
    AuthScheme BEARER = new KeyHeader("authorization", "Bearer ");

    /**
     * The key sent as it is, behind a prefix, in one request header.
     *
     * @param name   the lower-case header name
     * @param prefix what comes before the key ({@code "Bearer "}, or nothing)
     */
    record KeyHeader(String name, String prefix) implements AuthScheme {
        public KeyHeader {
            Objects.requireNonNull(name, "'name' must not be null");
            Objects.requireNonNull(prefix, "'prefix' must not be null");
            if (name.isBlank() || !name.equals(name.strip().toLowerCase(Locale.ROOT))) {
                throw new IllegalArgumentException("a key header's name must be lower-case, was '" + name + "'");
            }
        }

        /**
         * @param key the secret
         * @return the header value carrying the key
         */
        public String value(String key) {
            return prefix + key;
        }

        @Override
        public String toString() {
            return prefix.isEmpty() ? name + ": <key>" : name + ": " + prefix + "<key>";
        }
    }

    /**
     * Every request signed with AWS Signature Version 4 (Amazon Bedrock). The deployment's credentials are the
     * secret access key; the rest of its AWS identity is here. Nothing of the host's AWS identity (environment,
     * profiles, instance metadata) is ever used: a deployment names all of its own.
     *
     * @param service      the signing name, e.g. {@code bedrock}
     * @param region       the signing region, e.g. {@code us-east-1}
     * @param accessKeyId  the access key id that goes with the secret (not itself a secret; shown in the signature)
     * @param sessionToken the session token of temporary credentials, sent as {@code x-amz-security-token}
     * @param role         a role assumed with these credentials first, whose temporary credentials then sign
     */
    record AwsSignature(
            String service,
            String region,
            String accessKeyId,
            Optional<Credentials> sessionToken,
            Optional<AwsRole> role)
            implements AuthScheme {
        public AwsSignature {
            Objects.requireNonNull(service, "'service' must not be null");
            Objects.requireNonNull(region, "'region' must not be null");
            Objects.requireNonNull(accessKeyId, "'accessKeyId' must not be null");
            Objects.requireNonNull(sessionToken, "'sessionToken' must not be null");
            Objects.requireNonNull(role, "'role' must not be null");
            if (!service.matches("[a-z][a-z0-9-]*")) {
                throw new IllegalArgumentException("an AWS signing name is lower-case, was '" + service + "'");
            }
            if (!region.matches("[a-z]{2}(-[a-z0-9]+)+")) {
                throw new IllegalArgumentException(
                        "aws_region_name must be a region such as us-east-1, was '" + region + "'");
            }
            if (!accessKeyId.matches("[A-Z0-9]{16,128}")) {
                throw new IllegalArgumentException(
                        "aws_access_key_id must be an access key id (16 or more capitals and digits)");
            }
        }

        @Override
        public String toString() {
            return "AWS SigV4 (" + service + ", " + region + (role.isPresent() ? ", assumed role" : "") + ")";
        }
    }

    /**
     * A role assumed through STS with a deployment's own AWS keys before it signs ({@code aws_role_name}).
     *
     * @param roleArn     the role
     * @param sessionName the role session's name
     * @param sts         the STS endpoint asked, the regional one unless the deployment names another
     */
    record AwsRole(String roleArn, String sessionName, URI sts) {
        public AwsRole {
            Objects.requireNonNull(roleArn, "'roleArn' must not be null");
            Objects.requireNonNull(sessionName, "'sessionName' must not be null");
            Objects.requireNonNull(sts, "'sts' must not be null");
            if (!roleArn.startsWith("arn:")) {
                throw new IllegalArgumentException("aws_role_name must be a role ARN (arn:aws:iam::…:role/…)");
            }
            if (!sessionName.matches("[\\w+=,.@-]{2,64}")) {
                throw new IllegalArgumentException(
                        "aws_session_name must be 2 to 64 letters, digits or any of +=,.@_-, was '" + sessionName
                                + "'");
            }
        }
    }

    /**
     * An OAuth 2 access token minted from the deployment's credentials (a Google service account's key file, as
     * compact JSON) and sent as {@code authorization: Bearer} (Vertex AI). The key's assertion goes to the account's
     * own token endpoint and nowhere else; application-default credentials are never used.
     *
     * @param account  the service account's e-mail, safe to show
     * @param tokenUri where tokens are minted: the account's {@code token_uri}
     */
    record MintedToken(String account, URI tokenUri) implements AuthScheme {
        public MintedToken {
            Objects.requireNonNull(account, "'account' must not be null");
            Objects.requireNonNull(tokenUri, "'tokenUri' must not be null");
            String scheme =
                    tokenUri.getScheme() == null ? "" : tokenUri.getScheme().toLowerCase(Locale.ROOT);
            if (!(scheme.equals("https") || scheme.equals("http")) || tokenUri.getHost() == null) {
                throw new IllegalArgumentException("a service account's token_uri must be an http(s) URL");
            }
        }

        @Override
        public String toString() {
            return "authorization: Bearer <token minted for " + account + ">";
        }
    }
}
