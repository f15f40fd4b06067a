package dev.keyline.ports.in;

/** Use case: answer a client's Messages request through a deployment of the model group it names. */
public interface HandleMessagesUseCase {

    /**
     * @param command the client's request and protocol headers; must not be null
     * @return the answer and the deployment that served it, or why the gateway could not answer
     */
    MessagesResult handle(MessagesCommand command);

    /**
     * @param command the client's request and protocol headers; must not be null
     * @return an open event stream (the caller must close it), or why the gateway could not open one
     */
    MessagesStreamResult stream(MessagesCommand command);
}
