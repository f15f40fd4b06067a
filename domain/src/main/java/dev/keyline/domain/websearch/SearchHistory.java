package dev.keyline.domain.websearch;

import dev.keyline.domain.message.ContentBlock;
import dev.keyline.domain.message.Message;
import dev.keyline.domain.message.RawJson;
import dev.keyline.domain.message.Role;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Rewrites earlier search turns (Keyline's or Anthropic's {@code server_tool_use} + {@code web_search_tool_result}
 * blocks) into a tool call and its result, which an endpoint without server tools accepts. The assistant turn is
 * split where a search result sat, the result goes into a user turn of its own, and neighbouring turns of the same
 * role are joined, so roles keep alternating.
 */
public final class SearchHistory {

    private SearchHistory() {}

    /**
     * @param messages a conversation
     * @param toolName the name of the search tool the model is given
     * @return the conversation without server-tool blocks
     */
    public static List<Message> withClientTools(List<Message> messages, String toolName) {
        if (messages.stream().noneMatch(SearchHistory::hasServerSearchBlocks)) {
            return messages;
        }
        List<Message> converted = new ArrayList<>();
        for (Message message : messages) {
            if (!message.role().equals(Role.ASSISTANT) || !hasServerSearchBlocks(message)) {
                append(converted, message);
                continue;
            }
            List<ContentBlock> assistant = new ArrayList<>();
            for (ContentBlock block : message.content()) {
                switch (block) {
                    case ContentBlock.ServerToolUse use
                    when use.name().equals("web_search") ->
                        assistant.add(new ContentBlock.ToolUse(use.id(), toolName, use.input(), RawJson.empty()));
                    case ContentBlock.WebSearchToolResult result -> {
                        append(converted, new Message(Role.ASSISTANT, List.copyOf(assistant), message.extra()));
                        assistant.clear();
                        append(
                                converted,
                                Message.of(
                                        Role.USER,
                                        List.of(new ContentBlock.ToolResult(
                                                result.toolUseId(),
                                                new ContentBlock.ToolResultContent.Text(
                                                        SearchResultText.forModel(result.content())),
                                                RawJson.empty()))));
                    }
                    default -> assistant.add(withoutSearchCitations(block));
                }
            }
            if (!assistant.isEmpty()) {
                append(converted, new Message(Role.ASSISTANT, List.copyOf(assistant), message.extra()));
            }
        }
        return converted;
    }

    /**
     * Citations of search results point into result blocks this conversion removes; an endpoint would reject them
     * (Anthropic's own checks their {@code encrypted_index}), and the model has the results as text anyway.
     */
    private static ContentBlock withoutSearchCitations(ContentBlock block) {
        if (!(block instanceof ContentBlock.Text text)
                || !(text.extra().get("citations").orElse(null) instanceof List<?> citations)) {
            return block;
        }
        List<Object> kept = citations.stream()
                .filter(c ->
                        !(c instanceof Map<?, ?> citation && "web_search_result_location".equals(citation.get("type"))))
                .<Object>map(c -> c)
                .toList();
        return new ContentBlock.Text(
                text.text(),
                kept.isEmpty()
                        ? text.extra().without("citations")
                        : text.extra().with("citations", kept));
    }

    private static boolean hasServerSearchBlocks(Message message) {
        return message.content().stream()
                .anyMatch(b -> b instanceof ContentBlock.WebSearchToolResult
                        || b instanceof ContentBlock.ServerToolUse use
                                && use.name().equals("web_search"));
    }

    private static void append(List<Message> messages, Message next) {
        if (next.content().isEmpty()) {
            return;
        }
        if (!messages.isEmpty() && messages.getLast().role().equals(next.role())) {
            Message last = messages.removeLast();
            List<ContentBlock> joined = new ArrayList<>(last.content());
            joined.addAll(next.content());
            messages.add(new Message(last.role(), joined, last.extra()));
        } else {
            messages.add(next);
        }
    }
}
