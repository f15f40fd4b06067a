package dev.keyline.adapters.providers.bedrock;

import dev.keyline.domain.deployment.Endpoint;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/**
 * Where Bedrock's runtime calls go: {@code {endpoint}/model/{modelId}/invoke}, {@code …/invoke-with-response-stream}
 * and {@code …/count-tokens}. The model id (a model, an inference profile, an ARN) is one path segment, so every
 * character outside the unreserved set is percent-encoded ({@code :} → {@code %3A}, {@code /} → {@code %2F}); the
 * signer encodes the canonical path once more, as AWS does for every service but S3.
 */
public final class BedrockPaths {

    private BedrockPaths() {}

    public static URI invoke(Endpoint endpoint, String modelId) {
        return model(endpoint, modelId, "invoke");
    }

    public static URI invokeWithResponseStream(Endpoint endpoint, String modelId) {
        return model(endpoint, modelId, "invoke-with-response-stream");
    }

    public static URI countTokens(Endpoint endpoint, String modelId) {
        return model(endpoint, modelId, "count-tokens");
    }

    private static URI model(Endpoint endpoint, String modelId, String action) {
        return URI.create(endpoint.base() + "/model/" + segment(modelId) + "/" + action);
    }

    /** @return the text as one path segment, RFC 3986 unreserved characters kept, every other byte encoded */
    public static String segment(String text) {
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if ((c >= 'A' && c <= 'Z')
                    || (c >= 'a' && c <= 'z')
                    || (c >= '0' && c <= '9')
                    || c == '-'
                    || c == '.'
                    || c == '_'
                    || c == '~') {
                out.append((char) c);
            } else {
                out.append('%')
                        .append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return out.toString();
    }
}
