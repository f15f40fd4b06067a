package dev.keyline.conformance.faults;

/** The front door a crash-test client knocks at: Anthropic's Messages, or OpenAI's chat completions. */
enum Door {
    /** {@code POST /v1/messages}: Anthropic's events, ended by {@code message_stop}; errors as Anthropic's. */
    MESSAGES("messages", "/v1/messages"),
    /** {@code POST /v1/chat/completions}: OpenAI's chunks, ended by {@code [DONE]}; errors as OpenAI's. */
    CHAT("chat", "/v1/chat/completions");

    final String id;
    final String path;

    Door(String id, String path) {
        this.id = id;
        this.path = path;
    }

    /** @return the request body asking {@code model}, with {@code more} JSON members appended */
    String body(String model, boolean stream, String more) {
        return "{\"model\":\"" + model + "\",\"max_tokens\":64,\"stream\":" + stream
                + ",\"messages\":[{\"role\":\"user\",\"content\":\"What is new in Java 25?\"}]" + more + "}";
    }

    /** @return the members that offer web search on this door */
    String webSearch() {
        return switch (this) {
            case MESSAGES -> ",\"tools\":[{\"type\":\"web_search_20250305\",\"name\":\"web_search\",\"max_uses\":2}]";
            case CHAT -> ",\"web_search_options\":{}";
        };
    }

    static Door of(String id) {
        for (Door door : values()) {
            if (door.id.equals(id)) {
                return door;
            }
        }
        throw new IllegalArgumentException("--surface must be messages or chat, got '" + id + "'");
    }
}
