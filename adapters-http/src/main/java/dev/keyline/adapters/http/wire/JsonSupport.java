package dev.keyline.adapters.http.wire;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The JSON settings every codec shares: exact decimals, and a duplicate member is an error rather than "last one
 * wins" (two parsers reading one body differently is how smuggling starts).
 */
final class JsonSupport {

    private final ObjectMapper mapper;
    private final ObjectReader reader;

    JsonSupport(ObjectMapper mapper) {
        this.mapper = mapper;
        this.reader = mapper.reader()
                .with(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                .with(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    }

    /** @throws WireFormatException when the bytes are not one JSON document */
    JsonNode parse(byte[] json) {
        if (json.length == 0) {
            throw new WireFormatException("", "the body is empty; expected a JSON object");
        }
        try {
            return reader.readTree(json);
        } catch (JsonProcessingException e) {
            throw new WireFormatException("", "the body is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    JsonNode parse(String json) {
        try {
            return reader.readTree(json);
        } catch (JsonProcessingException e) {
            throw new WireFormatException("", "not valid JSON: " + e.getOriginalMessage());
        }
    }

    interface Writer {
        void write(JsonGenerator out) throws IOException;
    }

    byte[] write(Writer writer) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(512);
        JsonFactory factory = mapper.getFactory();
        try (JsonGenerator out = factory.createGenerator(bytes)) {
            writer.write(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }
}
