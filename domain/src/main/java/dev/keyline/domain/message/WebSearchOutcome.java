package dev.keyline.domain.message;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/** What a web search produced: results (possibly none), or an error code the model can react to. */
public sealed interface WebSearchOutcome {

    /** A search that ran; an empty list means it matched nothing. */
    record Results(List<WebSearchResult> results) implements WebSearchOutcome {
        public Results {
            results = List.copyOf(Objects.requireNonNull(results, "'results' must not be null"));
        }
    }

    /** A search that did not run or failed, with Anthropic's error code. */
    record Error(String errorCode, RawJson extra) implements WebSearchOutcome {
        /** The codes Anthropic defines for {@code web_search_tool_result_error}. */
        public static final Set<String> KNOWN_CODES = Set.of(
                "too_many_requests",
                "invalid_tool_input",
                "max_uses_exceeded",
                "query_too_long",
                "request_too_large",
                "unavailable");

        public Error {
            Objects.requireNonNull(errorCode, "'errorCode' must not be null");
            if (errorCode.isBlank()) {
                throw new IllegalArgumentException("'errorCode' must not be blank");
            }
            Objects.requireNonNull(extra, "'extra' must not be null");
        }

        public static Error of(String errorCode) {
            return new Error(errorCode, RawJson.empty());
        }
    }

    /** One search hit. */
    record WebSearchResult(
            String url, String title, Optional<String> encryptedContent, Optional<String> pageAge, RawJson extra) {
        public WebSearchResult {
            Objects.requireNonNull(url, "'url' must not be null");
            Objects.requireNonNull(title, "'title' must not be null");
            Objects.requireNonNull(encryptedContent, "'encryptedContent' must not be null");
            Objects.requireNonNull(pageAge, "'pageAge' must not be null");
            Objects.requireNonNull(extra, "'extra' must not be null");
        }
    }
}
