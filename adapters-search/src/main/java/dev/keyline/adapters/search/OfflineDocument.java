package dev.keyline.adapters.search;

import java.util.Objects;
import java.util.Optional;

/** A document the offline engine can find. */
public record OfflineDocument(String title, String url, String text, Optional<String> date) {
    public OfflineDocument {
        Objects.requireNonNull(title, "'title' must not be null");
        Objects.requireNonNull(url, "'url' must not be null");
        Objects.requireNonNull(text, "'text' must not be null");
        Objects.requireNonNull(date, "'date' must not be null");
    }
}
