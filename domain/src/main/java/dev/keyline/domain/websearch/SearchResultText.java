package dev.keyline.domain.websearch;

import dev.keyline.domain.message.RawJson;
import dev.keyline.domain.message.WebSearchOutcome;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * How search results are written for the model (a {@code tool_result} text) and for the client (Anthropic's
 * {@code web_search_result} items). The client's items carry the excerpt in {@code encrypted_content}, so that
 * when the conversation comes back the model can be given the same text again.
 */
public final class SearchResultText {

    private static final String PREFIX = "keyline.v1.";

    private SearchResultText() {}

    /** @return the text the model reads for a search's outcome */
    public static String forModel(SearchOutcome outcome) {
        return switch (outcome) {
            case SearchOutcome.Found found ->
                found.hits().isEmpty()
                        ? "No results found."
                        : found.hits().stream().map(SearchResultText::entry).collect(Collectors.joining("\n\n"));
            case SearchOutcome.Failed failed ->
                "Search failed (" + failed.error().code() + "): " + failed.detail();
        };
    }

    /** @return the outcome as the client sees it in a {@code web_search_tool_result} block */
    public static WebSearchOutcome forClient(SearchOutcome outcome) {
        return switch (outcome) {
            case SearchOutcome.Found found ->
                new WebSearchOutcome.Results(found.hits().stream()
                        .map(hit -> new WebSearchOutcome.WebSearchResult(
                                hit.url(),
                                hit.title(),
                                Optional.of(encode(hit.snippet())),
                                hit.date(),
                                RawJson.empty()))
                        .toList());
            case SearchOutcome.Failed failed ->
                WebSearchOutcome.Error.of(failed.error().code());
        };
    }

    /** @return the text the model reads for results a client sent back in its history */
    public static String forModel(WebSearchOutcome outcome) {
        return switch (outcome) {
            case WebSearchOutcome.Results results ->
                results.results().isEmpty()
                        ? "No results found."
                        : results.results().stream()
                                .map(r -> entry(new SearchHit(
                                        r.title(),
                                        r.url(),
                                        r.encryptedContent()
                                                .flatMap(SearchResultText::decode)
                                                .orElse(""),
                                        r.pageAge())))
                                .collect(Collectors.joining("\n\n"));
            case WebSearchOutcome.Error error -> "Search failed (" + error.errorCode() + ").";
        };
    }

    private static String entry(SearchHit hit) {
        Map<String, String> lines = new LinkedHashMap<>();
        lines.put("Title", hit.title());
        lines.put("URL", hit.url());
        hit.date().ifPresent(date -> lines.put("Date", date));
        if (!hit.snippet().isBlank()) {
            lines.put("Snippet", hit.snippet());
        }
        return lines.entrySet().stream()
                .map(e -> e.getKey() + ": " + e.getValue())
                .collect(Collectors.joining("\n"));
    }

    static String encode(String snippet) {
        return PREFIX
                + Base64.getUrlEncoder().withoutPadding().encodeToString(snippet.getBytes(StandardCharsets.UTF_8));
    }

    static Optional<String> decode(String encrypted) {
        if (!encrypted.startsWith(PREFIX)) {
            return Optional.empty();
        }
        try {
            return Optional.of(new String(
                    Base64.getUrlDecoder().decode(encrypted.substring(PREFIX.length())), StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
