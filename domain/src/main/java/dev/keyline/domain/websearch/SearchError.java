package dev.keyline.domain.websearch;

/** Why a search has no results, with the {@code web_search_tool_result_error} code Anthropic uses for it. */
public enum SearchError {
    TOO_MANY_REQUESTS("too_many_requests"),
    UNAVAILABLE("unavailable"),
    QUERY_TOO_LONG("query_too_long"),
    INVALID_TOOL_INPUT("invalid_tool_input"),
    MAX_USES_EXCEEDED("max_uses_exceeded");

    private final String code;

    SearchError(String code) {
        this.code = code;
    }

    /** @return the wire {@code error_code} */
    public String code() {
        return code;
    }
}
