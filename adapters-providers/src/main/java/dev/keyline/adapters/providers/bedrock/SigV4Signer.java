package dev.keyline.adapters.providers.bedrock;

import java.net.URI;
import java.time.Clock;
import java.time.InstantSource;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.identity.spi.AwsSessionCredentialsIdentity;

/**
 * Signs one POST with AWS Signature Version 4, using the AWS SDK's own signer (no crypto of Keyline's). It is given
 * explicit keys every time; nothing here, nor in the signer, reads the host's AWS identity.
 */
final class SigV4Signer {

    /** Headers the signer adds that the call must carry. */
    private static final List<String> SIGNATURE_HEADERS =
            List.of("authorization", "x-amz-date", "x-amz-security-token", "x-amz-content-sha256");

    private final AwsV4HttpSigner signer = AwsV4HttpSigner.create();
    private final Clock clock;

    SigV4Signer(InstantSource clock) {
        this.clock = clock.withZone(ZoneOffset.UTC);
    }

    /** One set of AWS keys: long-lived, or temporary with a session token. Its {@code toString} shows no secret. */
    record AwsKeys(String accessKeyId, String secretAccessKey, Optional<String> sessionToken) {
        AwsCredentialsIdentity identity() {
            return sessionToken
                    .<AwsCredentialsIdentity>map(
                            token -> AwsSessionCredentialsIdentity.create(accessKeyId, secretAccessKey, token))
                    .orElseGet(() -> AwsCredentialsIdentity.create(accessKeyId, secretAccessKey));
        }

        @Override
        public String toString() {
            return "AwsKeys[" + accessKeyId + ", ****]";
        }
    }

    /**
     * @param signedHeaders headers the call sends that the signature covers (its content type, say); the host is
     *                      always covered
     * @return the headers that carry the signature, to add to the call
     */
    Map<String, String> sign(
            URI uri, Map<String, String> signedHeaders, byte[] body, String service, String region, AwsKeys keys) {
        SdkHttpRequest.Builder request =
                SdkHttpRequest.builder().method(SdkHttpMethod.POST).uri(uri);
        signedHeaders.forEach(request::putHeader);
        SignedRequest signed = signer.sign(r -> r.identity(keys.identity())
                .request(request.build())
                .payload(ContentStreamProvider.fromByteArrayUnsafe(body))
                .putProperty(AwsV4FamilyHttpSigner.SERVICE_SIGNING_NAME, service)
                .putProperty(AwsV4HttpSigner.REGION_NAME, region)
                .putProperty(HttpSigner.SIGNING_CLOCK, clock));
        Map<String, String> added = new LinkedHashMap<>();
        for (String name : SIGNATURE_HEADERS) {
            signed.request().firstMatchingHeader(name).ifPresent(value -> added.put(name, value));
        }
        return added;
    }
}
