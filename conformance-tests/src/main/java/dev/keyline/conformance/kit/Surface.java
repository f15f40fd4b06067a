package dev.keyline.conformance.kit;

import java.util.List;

/** The front door a run judges the gateway through: Anthropic's Messages, or OpenAI's chat completions. */
public enum Surface {
    MESSAGES("messages", "/v1/messages"),
    CHAT("chat", "/v1/chat/completions");

    private final String id;
    private final String path;

    Surface(String id, String path) {
        this.id = id;
        this.path = path;
    }

    public String id() {
        return id;
    }

    public String path() {
        return path;
    }

    /** @throws IllegalArgumentException naming the surfaces there are */
    public static Surface of(String id) {
        for (Surface surface : values()) {
            if (surface.id.equals(id)) {
                return surface;
            }
        }
        throw new IllegalArgumentException("unknown surface '" + id + "'; expected messages or chat");
    }

    /** The properties the chat door is judged on: what an OpenAI client can ask, and see. */
    static final List<KitProperty> CHAT_PROPERTIES = List.of(
            KitProperty.HOP_CREDENTIALS,
            KitProperty.LOOP_HOP_BINDING,
            KitProperty.NO_ENV_FALLBACK,
            KitProperty.HEADER_PROPAGATION,
            KitProperty.STREAM_EQUIVALENCE);
}
