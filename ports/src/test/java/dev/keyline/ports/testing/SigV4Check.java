package dev.keyline.ports.testing;

import com.github.tomakehurst.wiremock.http.HttpHeader;
import com.github.tomakehurst.wiremock.http.Request;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Checks an AWS Signature Version 4 the way AWS does, written from the published algorithm, independently of the
 * SDK signer Keyline uses: the fake clouds must not share a bug with the code they check.
 */
public final class SigV4Check {

    private static final Pattern AUTHORIZATION = Pattern.compile(
            "AWS4-HMAC-SHA256 Credential=([^/]+)/(\\d{8})/([^/]+)/([^/]+)/aws4_request, ?SignedHeaders=([^,]+), ?"
                    + "Signature=([0-9a-f]{64})");

    private SigV4Check() {}

    /** What a verified signature said: who signed, where for. */
    public record Signed(String accessKeyId, String region, String service) {}

    /**
     * @param rawPath  the request's path as sent, percent-encoding and all
     * @param headers  the request's headers, names in any case
     * @param secrets  the secret of each access key id the fake knows
     * @return who signed, or empty when the signature does not verify with a known key
     */
    public static Optional<Signed> verify(
            String method,
            String rawPath,
            Map<String, List<String>> headers,
            byte[] body,
            Map<String, String> secrets) {
        Map<String, String> lower = new TreeMap<>();
        headers.forEach((name, values) -> lower.put(name.toLowerCase(Locale.ROOT), String.join(",", values)));
        Matcher auth = AUTHORIZATION.matcher(lower.getOrDefault("authorization", ""));
        if (!auth.matches()) {
            return Optional.empty();
        }
        String keyId = auth.group(1);
        String date = auth.group(2);
        String region = auth.group(3);
        String service = auth.group(4);
        String secret = secrets.get(keyId);
        String amzDate = lower.getOrDefault("x-amz-date", "");
        if (secret == null || !amzDate.startsWith(date)) {
            return Optional.empty();
        }
        StringBuilder canonicalHeaders = new StringBuilder();
        for (String name : auth.group(5).split(";")) {
            if (!lower.containsKey(name)) {
                return Optional.empty();
            }
            canonicalHeaders
                    .append(name)
                    .append(':')
                    .append(lower.get(name).strip())
                    .append('\n');
        }
        String canonicalRequest = method + "\n" + canonicalPath(rawPath) + "\n\n" + canonicalHeaders + "\n"
                + auth.group(5) + "\n" + hex(sha256(body));
        String scope = date + "/" + region + "/" + service + "/aws4_request";
        String toSign = "AWS4-HMAC-SHA256\n" + amzDate + "\n" + scope + "\n"
                + hex(sha256(canonicalRequest.getBytes(StandardCharsets.UTF_8)));
        byte[] key = hmac(("AWS4" + secret).getBytes(StandardCharsets.UTF_8), date);
        key = hmac(key, region);
        key = hmac(key, service);
        key = hmac(key, "aws4_request");
        String expected = hex(hmac(key, toSign));
        return MessageDigest.isEqual(
                        expected.getBytes(StandardCharsets.US_ASCII),
                        auth.group(6).getBytes(StandardCharsets.US_ASCII))
                ? Optional.of(new Signed(keyId, region, service))
                : Optional.empty();
    }

    /** As {@link #verify(String, String, Map, byte[], Map)}, for a request a WireMock server received. */
    public static Optional<Signed> verify(Request request, Map<String, String> secrets) {
        Map<String, List<String>> headers = new HashMap<>();
        for (HttpHeader header : request.getHeaders().all()) {
            headers.put(header.key(), header.values());
        }
        return verify(request.getMethod().getName(), request.getUrl(), headers, request.getBody(), secrets);
    }

    /**
     * @return the text as AWS writes one path segment: RFC 3986's unreserved characters kept, every other byte
     *         percent-encoded ({@code :} becomes {@code %3A}, {@code %} becomes {@code %25})
     */
    public static String pathSegment(String text) {
        StringBuilder out = new StringBuilder();
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || "-._~".indexOf(c) >= 0) {
                out.append(c);
            } else {
                out.append(String.format("%%%02X", (int) c));
            }
        }
        return out.toString();
    }

    /** Every service but S3 signs each path segment encoded once more: {@code %3A} is signed as {@code %253A}. */
    private static String canonicalPath(String rawPath) {
        StringBuilder out = new StringBuilder();
        for (String segment : rawPath.split("/", -1)) {
            out.append(out.isEmpty() && segment.isEmpty() ? "" : "/").append(pathSegment(segment));
        }
        return out.toString();
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] hmac(byte[] key, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }
}
