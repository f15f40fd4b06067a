package dev.keyline.adapters.frontdoors.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keyline.adapters.wire.WireFormatException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** A chat body is held to what a Messages body is held to, though it is no longer written and parsed again. */
class ChatRequestReaderTest {

    private final ChatRequestReader reader = new ChatRequestReader(new ObjectMapper());

    @Test
    void aChatBody_isReadAsTheMessagesRequestItMeans() {
        ChatRequestReader.Read read = reader.read(bytes("""
                {"model":"m","max_tokens":9,"stream":true,"stream_options":{"include_usage":true},
                 "messages":[{"role":"system","content":"Be brief."},{"role":"user","content":"hi"}]}"""));

        assertEquals("m", read.request().model());
        assertEquals(9, read.request().maxTokens());
        assertTrue(read.request().stream());
        assertTrue(read.includeUsage());
        assertEquals(1, read.request().messages().size());
        // Built from a tree, not from client bytes: it is always encoded again, never relayed as sent.
        assertTrue(read.request().verbatim().isEmpty());
    }

    @Test
    void aMemberTwice_aLoneSurrogate_andTrailingGarbage_areRefused_asOnTheMessagesDoor() {
        String[] bodies = {
            "{\"model\":\"m\",\"model\":\"n\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
            "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"\\ud800\"}]}",
            "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]} x",
            ""
        };
        for (String body : bodies) {
            assertThrows(WireFormatException.class, () -> reader.read(bytes(body)), body);
        }
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
