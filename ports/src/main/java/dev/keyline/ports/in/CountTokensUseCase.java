package dev.keyline.ports.in;

/** Counts a Messages request's input tokens, at a deployment of the model group the request names. */
public interface CountTokensUseCase {

    /**
     * @param command the request to count and the client's protocol headers
     * @return the count and which deployment gave it (or that the gateway estimated it), or the error
     */
    TokensResult count(MessagesCommand command);
}
