package dev.keyline.domain.routing;

import dev.keyline.domain.failure.ErrorReply;
import java.util.List;
import java.util.Locale;

/**
 * Why an upstream refused a request as invalid, as far as its message tells: the prompt did not fit the model's
 * context window, the content was refused by a policy, or something else. This picks the fallback list.
 */
public enum RequestRejection {
    CONTEXT_WINDOW,
    CONTENT_POLICY,
    OTHER;

    private static final List<String> CONTEXT_WINDOW_MARKERS = List.of(
            "prompt is too long",
            "context window",
            "context length",
            "context_length_exceeded",
            "maximum context",
            "too many tokens",
            "input is too long",
            "exceeds the model's maximum");
    private static final List<String> CONTENT_POLICY_MARKERS =
            List.of("content policy", "content_policy", "content filter", "content_filter", "safety system", "flagged");

    /**
     * @param reply an upstream's 4xx answer
     * @return the kind of rejection its text describes
     */
    public static RequestRejection of(ErrorReply reply) {
        String text = reply.body().toLowerCase(Locale.ROOT);
        if (CONTEXT_WINDOW_MARKERS.stream().anyMatch(text::contains)) {
            return CONTEXT_WINDOW;
        }
        if (CONTENT_POLICY_MARKERS.stream().anyMatch(text::contains)) {
            return CONTENT_POLICY;
        }
        return OTHER;
    }
}
