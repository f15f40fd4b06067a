package dev.keyline.conformance.faults;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;

/**
 * Generates bad requests for {@code POST /v1/messages} from a seed: broken and truncated JSON, wrong types, huge,
 * deep and odd-unicode values, bad headers, bodies shorter than announced and senders that dribble. Every request
 * is whole HTTP/1.1 bytes, so faults below JSON (headers, lengths) can be expressed too.
 */
final class BadRequests {

    /** One generated request. */
    record BadRequest(String kind, byte[] head, byte[] body, boolean slow, boolean shortBody) {}

    static final List<String> KINDS = List.of(
            "truncated-json",
            "flipped-bytes",
            "wrong-types",
            "deep-nesting",
            "huge-values",
            "odd-unicode",
            "bad-headers",
            "short-body",
            "slow-sender",
            "wrong-auth");

    private static final String VALID = "{\"model\":\"fuzz\",\"max_tokens\":16,\"messages\":[{\"role\":\"user\","
            + "\"content\":[{\"type\":\"text\",\"text\":\"hello\"}]}],\"system\":\"be brief\",\"stream\":false,"
            + "\"tools\":[{\"name\":\"t\",\"input_schema\":{\"type\":\"object\"}}],\"metadata\":{\"user_id\":\"u\"}}";

    private static final String[] MEMBERS = {
        "model",
        "max_tokens",
        "messages",
        "system",
        "stream",
        "tools",
        "tool_choice",
        "metadata",
        "temperature",
        "stop_sequences",
        "top_p",
        "thinking"
    };
    private static final String[] ODD_VALUES = {
        "null",
        "true",
        "-1",
        "0",
        "1e400",
        "-0.0",
        "9223372036854775808",
        "\"\"",
        "[]",
        "{}",
        "[[[]]]",
        "\"\\u0000\"",
        "\"\\ud800\"",
        "\"\\udfff\\ud800\"",
        "{\"type\":\"nonsense\"}",
        "[{\"role\":\"wizard\"}]",
        "[{\"role\":\"user\",\"content\":42}]",
        "[{\"role\":\"user\",\"content\":[{\"type\":\"image\"}]}]",
        "[{\"role\":\"assistant\",\"content\":[{\"type\":\"tool_use\"}]}]",
        "\"x\"",
        "1.5",
        "{\"a\":",
    };
    private static final String[] ODD_TEXT = {
        "\\u202e\\u0645\\u0631\\u062d\\u0628\\u0627",
        "😀👩‍👩‍👧‍👦",
        "\\ud83d",
        "a\\u0000b",
        "\\uFFFF\\uFFFE",
        "\u0301\u0301\u0301",
        "\\\\\\\"",
        "\r\n\r\n",
        "%00%ff",
        "</script>"
    };

    private final Random random;
    private final String gatewayKey;

    BadRequests(long seed, String gatewayKey) {
        this.random = new Random(seed);
        this.gatewayKey = gatewayKey;
    }

    BadRequest next() {
        String kind = KINDS.get(random.nextInt(KINDS.size()));
        return switch (kind) {
            case "truncated-json" -> json(kind, VALID.substring(0, random.nextInt(VALID.length())));
            case "flipped-bytes" -> flipped(kind);
            case "wrong-types" -> json(kind, withMember(pick(MEMBERS), pick(ODD_VALUES)));
            case "deep-nesting" -> json(kind, deep());
            case "huge-values" -> json(kind, huge());
            case "odd-unicode" -> oddUnicode(kind);
            case "bad-headers" -> badHeaders(kind);
            case "short-body" -> shortBody(kind);
            case "slow-sender" -> slow(kind);
            case "wrong-auth" -> wrongAuth(kind);
            default -> throw new IllegalStateException(kind);
        };
    }

    private BadRequest json(String kind, String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        return new BadRequest(kind, head(bytes.length, "application/json", true), bytes, false, false);
    }

    private BadRequest flipped(String kind) {
        byte[] bytes = VALID.getBytes(StandardCharsets.UTF_8);
        for (int i = 0, n = 1 + random.nextInt(6); i < n; i++) {
            bytes[random.nextInt(bytes.length)] = (byte) random.nextInt(256);
        }
        return new BadRequest(kind, head(bytes.length, "application/json", true), bytes, false, false);
    }

    private String withMember(String member, String value) {
        return VALID.replaceFirst("\\{", "{\"" + member + "\":" + value + ",")
                .replaceFirst("\"" + member + "\":[^,]*,(.*)\"" + member + "\":", "$1\"" + member + "\":");
    }

    private String deep() {
        int depth = 1_000 + random.nextInt(60_000);
        String open = random.nextBoolean() ? "[" : "{\"a\":";
        String close = open.equals("[") ? "]" : "}";
        return VALID.replace(
                "\"metadata\":{\"user_id\":\"u\"}", "\"metadata\":" + open.repeat(depth) + "1" + close.repeat(depth));
    }

    private String huge() {
        return switch (random.nextInt(4)) {
            case 0 -> VALID.replace("hello", "x".repeat(1 + random.nextInt(2_000_000)));
            case 1 -> VALID.replace("\"max_tokens\":16", "\"max_tokens\":" + "9".repeat(1 + random.nextInt(5_000)));
            case 2 -> {
                StringBuilder messages = new StringBuilder("[");
                for (int i = 0, n = 1 + random.nextInt(20_000); i < n; i++) {
                    messages.append(i == 0 ? "" : ",").append("{\"role\":\"user\",\"content\":\"m\"}");
                }
                yield VALID.replaceFirst("\"messages\":\\[.*?\\]\\}\\]", "\"messages\":" + messages + "]");
            }
            default ->
                VALID.replace("\"model\":\"fuzz\"", "\"model\":\"" + "m".repeat(1 + random.nextInt(100_000)) + "\"");
        };
    }

    private BadRequest oddUnicode(String kind) {
        if (random.nextBoolean()) {
            return json(
                    kind,
                    VALID.replace("hello", pick(ODD_TEXT))
                            .replace("fuzz", random.nextBoolean() ? "fuzz" : pick(ODD_TEXT)));
        }
        // Bytes that are not UTF-8 at all.
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        byte[] valid = VALID.getBytes(StandardCharsets.UTF_8);
        int at = VALID.indexOf("hello");
        bytes.write(valid, 0, at);
        for (int i = 0, n = 1 + random.nextInt(8); i < n; i++) {
            bytes.write(0x80 + random.nextInt(0x80));
        }
        bytes.write(valid, at, valid.length - at);
        byte[] body = bytes.toByteArray();
        return new BadRequest(kind, head(body.length, "application/json", true), body, false, false);
    }

    private BadRequest badHeaders(String kind) {
        byte[] body = VALID.getBytes(StandardCharsets.UTF_8);
        String auth = "x-api-key: " + gatewayKey + "\r\n";
        String head = switch (random.nextInt(7)) {
            case 0 -> "POST /v1/messages HTTP/1.1\r\nhost: x\r\ncontent-type: text/plain\r\n" + auth;
            case 1 ->
                "POST /v1/messages HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\n" + auth
                        + "anthropic-version: " + pick(ODD_TEXT).replace("\r\n", "") + "\r\n";
            case 2 ->
                "POST /v1/messages HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\n" + auth
                        + "anthropic-beta: " + "b,".repeat(1 + random.nextInt(500)) + "\r\n";
            case 3 ->
                "POST /v1/messages HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\n" + auth + "x-long: "
                        + "v".repeat(1 + random.nextInt(20_000)) + "\r\n";
            case 4 ->
                "POST /v1/messages HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\n" + auth
                        + "content-length: 5\r\n";
            case 5 -> "POST /v1/messages?x=%zz HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\n" + auth;
            default ->
                "POST /v1/messages HTTP/1.1\r\nhost: x\r\ncontent-type: application/json; charset=utf-16\r\n" + auth;
        };
        boolean lengthGiven = head.contains("content-length");
        String full =
                head + (lengthGiven ? "" : "content-length: " + body.length + "\r\n") + "connection: close\r\n\r\n";
        return new BadRequest(kind, full.getBytes(StandardCharsets.ISO_8859_1), body, false, false);
    }

    private BadRequest shortBody(String kind) {
        byte[] body = VALID.getBytes(StandardCharsets.UTF_8);
        int sent = random.nextInt(body.length);
        byte[] part = new byte[sent];
        System.arraycopy(body, 0, part, 0, sent);
        return new BadRequest(kind, head(body.length, "application/json", true), part, false, true);
    }

    private BadRequest slow(String kind) {
        byte[] body = VALID.getBytes(StandardCharsets.UTF_8);
        return new BadRequest(kind, head(body.length, "application/json", true), body, true, false);
    }

    private BadRequest wrongAuth(String kind) {
        byte[] body = VALID.getBytes(StandardCharsets.UTF_8);
        String key = switch (random.nextInt(4)) {
            case 0 -> "";
            case 1 -> gatewayKey.substring(0, gatewayKey.length() - 1);
            case 2 -> gatewayKey + "x";
            default -> "Bearer " + pick(ODD_TEXT).replace("\r\n", "");
        };
        String head = "POST /v1/messages HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\nx-api-key: " + key
                + "\r\ncontent-length: " + body.length + "\r\nconnection: close\r\n\r\n";
        return new BadRequest(kind, head.getBytes(StandardCharsets.ISO_8859_1), body, false, false);
    }

    private byte[] head(int length, String contentType, boolean authorised) {
        return ("POST /v1/messages HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: " + contentType + "\r\n"
                        + (authorised ? "x-api-key: " + gatewayKey + "\r\n" : "")
                        + "anthropic-version: 2023-06-01\r\ncontent-length: " + length
                        + "\r\nconnection: close\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1);
    }

    private String pick(String[] values) {
        return values[random.nextInt(values.length)];
    }
}
