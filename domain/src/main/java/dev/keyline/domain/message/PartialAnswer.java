package dev.keyline.domain.message;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The text of an answer that broke off, and the request that asks a model to continue it: the original request with
 * that text as the final assistant turn (joined to the client's own prefill, when it sent one). The Messages API
 * refuses a final assistant turn that ends in whitespace, so trailing whitespace is held back from the request and
 * {@link #heldWhitespace()} says what the client already has of it.
 *
 * @param text the answer's text as the client got it, before the break
 */
public record PartialAnswer(String text) {

    private static final int CHARACTERS_PER_TOKEN = 4;

    public PartialAnswer {
        Objects.requireNonNull(text, "'text' must not be null");
    }

    /** @return the whitespace at the end of the text, which the continuation request leaves out */
    public String heldWhitespace() {
        return text.substring(text.stripTrailing().length());
    }

    /**
     * @param original the client's request
     * @return the request that continues this answer; its output limit is what the text has not used (an estimate
     *     of four characters a token, never below one)
     */
    public MessagesRequest continuation(MessagesRequest original) {
        List<Message> messages = new ArrayList<>(original.messages());
        List<ContentBlock> assistant = new ArrayList<>();
        Message last = messages.getLast();
        if (Role.ASSISTANT.equals(last.role())) {
            // The client prefilled the answer: the model's text carries on from its prefill.
            assistant.addAll(last.content());
            messages.removeLast();
        }
        if (!assistant.isEmpty() && assistant.getLast() instanceof ContentBlock.Text prefill) {
            assistant.set(assistant.size() - 1, new ContentBlock.Text(prefill.text() + text, prefill.extra()));
        } else {
            assistant.add(ContentBlock.Text.of(text));
        }
        if (assistant.getLast() instanceof ContentBlock.Text tail) {
            String stripped = tail.text().stripTrailing();
            if (stripped.isEmpty()) {
                assistant.removeLast();
            } else {
                assistant.set(assistant.size() - 1, new ContentBlock.Text(stripped, tail.extra()));
            }
        }
        if (!assistant.isEmpty()) {
            messages.add(new Message(
                    Role.ASSISTANT, assistant, Role.ASSISTANT.equals(last.role()) ? last.extra() : RawJson.empty()));
        }
        long used = (text.length() + CHARACTERS_PER_TOKEN - 1) / CHARACTERS_PER_TOKEN;
        int left = (int) Math.max(1, original.maxTokens() - used);
        return new MessagesRequest(
                original.model(),
                left,
                messages,
                original.tools(),
                original.toolChoice(),
                original.stream(),
                original.extra());
    }
}
