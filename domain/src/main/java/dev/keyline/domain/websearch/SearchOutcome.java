package dev.keyline.domain.websearch;

import java.util.List;
import java.util.Objects;

/** What running a search produced. */
public sealed interface SearchOutcome {

    /** @return {@code ok}, or the error's wire code: how the search ended, in metrics and a request's journal */
    default String code() {
        return switch (this) {
            case Found found -> "ok";
            case Failed failed -> failed.error().code();
        };
    }

    /** The engine answered; an empty list means nothing matched. */
    record Found(List<SearchHit> hits) implements SearchOutcome {
        public Found {
            hits = List.copyOf(Objects.requireNonNull(hits, "'hits' must not be null"));
        }
    }

    /** The search did not run or failed; the model is told so and carries on. */
    record Failed(SearchError error, String detail) implements SearchOutcome {
        public Failed {
            Objects.requireNonNull(error, "'error' must not be null");
            Objects.requireNonNull(detail, "'detail' must not be null");
        }
    }
}
