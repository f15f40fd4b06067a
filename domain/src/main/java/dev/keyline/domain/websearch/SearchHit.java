package dev.keyline.domain.websearch;

import java.util.Objects;
import java.util.Optional;

/** One search result: where, what it is called, an excerpt, and its date when the engine knows it. */
public record SearchHit(String title, String url, String snippet, Optional<String> date) {
    public SearchHit {
        Objects.requireNonNull(title, "'title' must not be null");
        Objects.requireNonNull(url, "'url' must not be null");
        Objects.requireNonNull(snippet, "'snippet' must not be null");
        Objects.requireNonNull(date, "'date' must not be null");
    }
}
