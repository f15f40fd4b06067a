package dev.keyline.adapters.providers.anthropic;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Set;

/**
 * A Messages body as a cloud takes it: some top-level members left out ({@code model}, {@code stream}), some added
 * ({@code anthropic_version}), every other value copied token by token. Streaming, so a long conversation is not
 * built into a tree and written again for each call.
 */
public final class BodyRewrite {

    /** Writes the members a host adds, at the end of the top-level object. */
    @FunctionalInterface
    public interface Additions {
        void write(JsonGenerator out) throws IOException;
    }

    private BodyRewrite() {}

    /**
     * @param body    a Messages body, as the codec wrote it
     * @param without the top-level members to leave out
     * @param with    the members to add
     * @return the rewritten body
     */
    public static byte[] of(JsonFactory json, byte[] body, Set<String> without, Additions with) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(body.length + 64);
        try (JsonParser in = json.createParser(body);
                JsonGenerator copy = json.createGenerator(out)) {
            if (in.nextToken() != JsonToken.START_OBJECT) {
                throw new IllegalArgumentException("a Messages body is a JSON object");
            }
            copy.writeStartObject();
            while (in.nextToken() == JsonToken.FIELD_NAME) {
                String name = in.currentName();
                in.nextToken();
                if (without.contains(name)) {
                    in.skipChildren();
                } else {
                    copy.writeFieldName(name);
                    copy.copyCurrentStructure(in);
                }
            }
            with.write(copy);
            copy.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("a body the codec wrote always reads back", e);
        }
        return out.toByteArray();
    }
}
