package dev.keyline.ports.out;

import dev.keyline.domain.message.MessageEvent;
import dev.keyline.domain.message.RawJson;
import dev.keyline.domain.message.StreamEvent;

/**
 * Outgoing port to the Messages wire format, for services that must look into an event stream (the streamed
 * web-search loop) rather than relay it untouched.
 */
public interface MessageEventCodec {

    /**
     * @param event an event as the upstream framed it
     * @return it typed; an event that cannot be read is returned as {@link MessageEvent.Other}
     */
    MessageEvent read(StreamEvent event);

    /**
     * @param event a typed event
     * @return it framed for the client
     */
    StreamEvent write(MessageEvent event);

    /**
     * @param json a JSON object's text (a tool input joined from its deltas)
     * @return the object; empty when the text is not an object
     */
    RawJson parseObject(String json);

    /**
     * @param object a JSON object
     * @return its text, as a tool input is sent in an {@code input_json_delta}
     */
    String toJson(RawJson object);
}
