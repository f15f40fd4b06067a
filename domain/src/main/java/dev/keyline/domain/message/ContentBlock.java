package dev.keyline.domain.message;

import java.util.List;
import java.util.Objects;

/**
 * A block of message content. Each variant types what the gateway reads and keeps every other member in
 * {@code extra} ({@code cache_control}, {@code citations}, {@code caller}, …); a block type the gateway does not
 * know is kept whole as {@link Unknown}.
 */
public sealed interface ContentBlock {

    /** @return the wire {@code type} of the block */
    String type();

    /** Plain text. */
    record Text(String text, RawJson extra) implements ContentBlock {
        public Text {
            Objects.requireNonNull(text, "'text' must not be null");
            Objects.requireNonNull(extra, "'extra' must not be null");
        }

        public static Text of(String text) {
            return new Text(text, RawJson.empty());
        }

        @Override
        public String type() {
            return "text";
        }
    }

    /** An image; its {@code source} is carried as sent. */
    record Image(RawJson source, RawJson extra) implements ContentBlock {
        public Image {
            Objects.requireNonNull(source, "'source' must not be null");
            Objects.requireNonNull(extra, "'extra' must not be null");
        }

        @Override
        public String type() {
            return "image";
        }
    }

    /** The model asks the client to run one of the client's tools. */
    record ToolUse(String id, String name, RawJson input, RawJson extra) implements ContentBlock {
        public ToolUse {
            requireText(id, "id");
            requireText(name, "name");
            Objects.requireNonNull(input, "'input' must not be null");
            Objects.requireNonNull(extra, "'extra' must not be null");
        }

        @Override
        public String type() {
            return "tool_use";
        }
    }

    /** The client's answer to a {@link ToolUse}; {@code is_error} stays in {@code extra}. */
    record ToolResult(String toolUseId, ToolResultContent content, RawJson extra) implements ContentBlock {
        public ToolResult {
            requireText(toolUseId, "toolUseId");
            Objects.requireNonNull(content, "'content' must not be null");
            Objects.requireNonNull(extra, "'extra' must not be null");
        }

        @Override
        public String type() {
            return "tool_result";
        }
    }

    /** The model's visible reasoning with its signature. */
    record Thinking(String thinking, String signature, RawJson extra) implements ContentBlock {
        public Thinking {
            Objects.requireNonNull(thinking, "'thinking' must not be null");
            Objects.requireNonNull(signature, "'signature' must not be null");
            Objects.requireNonNull(extra, "'extra' must not be null");
        }

        @Override
        public String type() {
            return "thinking";
        }
    }

    /** Reasoning the upstream encrypted; passed back untouched. */
    record RedactedThinking(String data, RawJson extra) implements ContentBlock {
        public RedactedThinking {
            Objects.requireNonNull(data, "'data' must not be null");
            Objects.requireNonNull(extra, "'extra' must not be null");
        }

        @Override
        public String type() {
            return "redacted_thinking";
        }
    }

    /** A server tool call (web search and others), made by Anthropic or by the gateway on the model's behalf. */
    record ServerToolUse(String id, String name, RawJson input, RawJson extra) implements ContentBlock {
        public ServerToolUse {
            requireText(id, "id");
            requireText(name, "name");
            Objects.requireNonNull(input, "'input' must not be null");
            Objects.requireNonNull(extra, "'extra' must not be null");
        }

        @Override
        public String type() {
            return "server_tool_use";
        }
    }

    /** The outcome of a web search, paired with its {@link ServerToolUse} by id. */
    record WebSearchToolResult(String toolUseId, WebSearchOutcome content, RawJson extra) implements ContentBlock {
        public WebSearchToolResult {
            requireText(toolUseId, "toolUseId");
            Objects.requireNonNull(content, "'content' must not be null");
            Objects.requireNonNull(extra, "'extra' must not be null");
        }

        @Override
        public String type() {
            return "web_search_tool_result";
        }
    }

    /** A block of a type this gateway does not model, kept exactly as received. */
    record Unknown(String type, RawJson raw) implements ContentBlock {
        public Unknown {
            requireText(type, "type");
            Objects.requireNonNull(raw, "'raw' must not be null");
        }
    }

    /** The content of a {@link ToolResult}: a string, or a list of blocks. */
    sealed interface ToolResultContent {
        record Text(String text) implements ToolResultContent {
            public Text {
                Objects.requireNonNull(text, "'text' must not be null");
            }
        }

        record Blocks(List<ContentBlock> blocks) implements ToolResultContent {
            public Blocks {
                blocks = List.copyOf(Objects.requireNonNull(blocks, "'blocks' must not be null"));
            }
        }
    }

    private static void requireText(String value, String name) {
        Objects.requireNonNull(value, "'" + name + "' must not be null");
        if (value.isBlank()) {
            throw new IllegalArgumentException("'" + name + "' must not be blank");
        }
    }
}
