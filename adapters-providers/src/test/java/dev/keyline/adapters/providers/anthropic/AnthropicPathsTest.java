package dev.keyline.adapters.providers.anthropic;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.keyline.domain.deployment.Endpoint;
import java.net.URI;
import org.junit.jupiter.api.Test;

class AnthropicPathsTest {

    @Test
    void messages_appendsTheMessagesPathToTheBase() {
        assertEquals(
                URI.create("https://api.lkeap.cloud.tencent.com/plan/anthropic/v1/messages"),
                AnthropicPaths.messages(Endpoint.parse("https://api.lkeap.cloud.tencent.com/plan/anthropic")));
    }

    @Test
    void messages_ignoresTrailingSlashes() {
        assertEquals(
                URI.create("http://127.0.0.1:8080/v1/messages"),
                AnthropicPaths.messages(Endpoint.parse("http://127.0.0.1:8080//")));
    }

    @Test
    void messages_keepsABaseThatAlreadyEndsWithTheMessagesPath() {
        assertEquals(
                URI.create("https://host/x/v1/messages"),
                AnthropicPaths.messages(Endpoint.parse("https://host/x/v1/messages")));
    }

    @Test
    void countTokens_isBesideTheMessagesPath() {
        assertEquals(
                URI.create("https://host/x/v1/messages/count_tokens"),
                AnthropicPaths.countTokens(Endpoint.parse("https://host/x")));
    }
}
