package dev.keyline.adapters.providers.openai;

/**
 * A Messages request that the chat completions protocol cannot express (a document block, a server tool the
 * deployment cannot run). It is the client's to change, so it becomes a 400, never a silently smaller request.
 */
final class UntranslatableRequest extends Exception {
    UntranslatableRequest(String message) {
        super(message, null, false, false);
    }
}
