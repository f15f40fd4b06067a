package dev.keyline.ports.testing;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32;

/**
 * AWS event-stream messages as Bedrock sends them, written from the published format (not with the SDK's codec, so
 * a fake cannot share a bug with the adapter it checks): a prelude of the two lengths and their CRC32, string
 * headers, the payload, and a CRC32 of everything before it.
 */
public final class AwsEventStreamFrames {

    private AwsEventStreamFrames() {}

    /** @return a {@code chunk} event carrying one Anthropic stream event, base64 in {@code {"bytes": …}} */
    public static byte[] chunk(String anthropicEvent) {
        String payload = "{\"bytes\":\""
                + Base64.getEncoder().encodeToString(anthropicEvent.getBytes(StandardCharsets.UTF_8)) + "\"}";
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(":event-type", "chunk");
        headers.put(":content-type", "application/json");
        headers.put(":message-type", "event");
        return frame(headers, payload.getBytes(StandardCharsets.UTF_8));
    }

    /** @return an exception message, as Bedrock ends a stream that failed ({@code throttlingException}, …) */
    public static byte[] exception(String type, String message) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(":exception-type", type);
        headers.put(":content-type", "application/json");
        headers.put(":message-type", "exception");
        return frame(headers, ("{\"message\":\"" + message + "\"}").getBytes(StandardCharsets.UTF_8));
    }

    /** @return one message with these string headers and payload */
    public static byte[] frame(Map<String, String> headers, byte[] payload) {
        ByteArrayOutputStream encoded = new ByteArrayOutputStream();
        headers.forEach((name, value) -> {
            byte[] n = name.getBytes(StandardCharsets.UTF_8);
            byte[] v = value.getBytes(StandardCharsets.UTF_8);
            encoded.write(n.length);
            encoded.writeBytes(n);
            encoded.write(7); // string
            encoded.write(v.length >> 8);
            encoded.write(v.length & 0xff);
            encoded.writeBytes(v);
        });
        byte[] headerBytes = encoded.toByteArray();
        int total = 12 + headerBytes.length + payload.length + 4;
        ByteBuffer frame = ByteBuffer.allocate(total);
        frame.putInt(total).putInt(headerBytes.length);
        frame.putInt((int) crc(frame.array(), 8));
        frame.put(headerBytes).put(payload);
        frame.putInt((int) crc(frame.array(), total - 4));
        return frame.array();
    }

    private static long crc(byte[] bytes, int length) {
        CRC32 crc = new CRC32();
        crc.update(bytes, 0, length);
        return crc.getValue();
    }
}
