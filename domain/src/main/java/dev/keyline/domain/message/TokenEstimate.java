package dev.keyline.domain.message;

import java.util.List;
import java.util.Map;

/**
 * A local estimate of a request's input tokens, for deployments that cannot count them (chat completions servers,
 * or a server without Anthropic's count endpoint): about four characters of text per token, plus a few tokens per
 * message and per tool for their framing. Meant for a client's budgeting (when to compact a conversation), not for
 * billing; answers carry it as an estimate.
 */
public final class TokenEstimate {

    private static final int CHARACTERS_PER_TOKEN = 4;
    private static final int PER_MESSAGE = 4;
    private static final int PER_TOOL = 8;

    private TokenEstimate() {}

    /** @return the estimated input tokens of the request: system, messages, tools */
    public static long of(MessagesRequest request) {
        long characters = size(request.extra().get("system").orElse(null));
        long framing = 0;
        for (Message message : request.messages()) {
            framing += PER_MESSAGE;
            for (ContentBlock block : message.content()) {
                characters += characters(block);
            }
        }
        for (ToolDefinition tool : request.tools()) {
            framing += PER_TOOL;
            characters += tool.name().length();
            if (tool instanceof ToolDefinition.Client client) {
                characters += client.description().map(String::length).orElse(0);
                characters += size(client.inputSchema().fields());
            }
        }
        return framing + (characters + CHARACTERS_PER_TOKEN - 1) / CHARACTERS_PER_TOKEN;
    }

    private static long characters(ContentBlock block) {
        return switch (block) {
            case ContentBlock.Text text -> text.text().length();
            case ContentBlock.Image image -> 1_600 * CHARACTERS_PER_TOKEN; // an image costs about 1,600 tokens
            case ContentBlock.ToolUse use ->
                use.name().length() + size(use.input().fields());
            case ContentBlock.ToolResult result ->
                switch (result.content()) {
                    case ContentBlock.ToolResultContent.Text text -> text.text().length();
                    case ContentBlock.ToolResultContent.Blocks blocks ->
                        blocks.blocks().stream()
                                .mapToLong(TokenEstimate::characters)
                                .sum();
                };
            case ContentBlock.Thinking thinking -> thinking.thinking().length();
            case ContentBlock.RedactedThinking redacted -> redacted.data().length() / 4;
            case ContentBlock.ServerToolUse use ->
                use.name().length() + size(use.input().fields());
            case ContentBlock.WebSearchToolResult result -> 2_000; // a page of results, roughly
            case ContentBlock.Unknown unknown -> size(unknown.raw().fields());
        };
    }

    /** @return the characters of a JSON-like value: strings by length, containers by their parts */
    private static long size(Object value) {
        return switch (value) {
            case null -> 0;
            case String text -> text.length();
            case Map<?, ?> map ->
                map.entrySet().stream()
                        .mapToLong(e -> String.valueOf(e.getKey()).length() + size(e.getValue()))
                        .sum();
            case List<?> list -> list.stream().mapToLong(TokenEstimate::size).sum();
            default -> String.valueOf(value).length();
        };
    }
}
