package dev.keyline.ports.out;

import dev.keyline.domain.message.MessageEvent;
import dev.keyline.domain.message.RawJson;
import dev.keyline.domain.message.StreamEvent;

/**
 * Outgoing port to the Messages wire format, for code that must look into an event stream (usage metering, the
 * streamed web-search loop, the chat door) or frame typed events for a Messages client.
 */
public interface MessageEventCodec {

    /**
     * @param event an event as it travels
     * @return it typed, read from its frame only when no one has yet
     */
    default MessageEvent typed(UpstreamEvent event) {
        return switch (event) {
            case UpstreamEvent.Framed framed -> read(framed.frame());
            case UpstreamEvent.Typed typed -> typed.event();
            case UpstreamEvent.Decoded decoded -> decoded.event();
        };
    }

    /**
     * @param event an event as it travels
     * @return its frame, written from its type only when it has none
     */
    default StreamEvent framed(UpstreamEvent event) {
        return switch (event) {
            case UpstreamEvent.Framed framed -> framed.frame();
            case UpstreamEvent.Typed typed -> write(typed.event());
            case UpstreamEvent.Decoded decoded -> decoded.frame();
        };
    }

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
