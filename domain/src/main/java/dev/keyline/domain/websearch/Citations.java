package dev.keyline.domain.websearch;

import dev.keyline.domain.message.RawJson;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which of the loop's search results a piece of answer text draws on, as Anthropic's
 * {@code web_search_result_location} citations. A result is cited when the text repeats at least
 * {@value #MIN_SHARED_WORDS} words of its excerpt in a row, or names its URL; the citation quotes the excerpt from
 * the sentence the shared words start in. Only results the client was shown can be cited, so a citation never
 * points at a result that was not returned.
 */
public final class Citations {

    /** Anthropic's limit on {@code cited_text}. */
    public static final int MAX_CITED_TEXT = 150;

    static final int MIN_SHARED_WORDS = 5;
    private static final Pattern WORD = Pattern.compile("[\\p{L}\\p{N}]+");
    private static final String INDEX_PREFIX = "keyline.cite.v1.";
    private static final Citations NONE = new Citations(List.of());

    /** A result the client was shown, with its excerpt's words, read once for every text that may cite it. */
    private record Shown(SearchHit hit, List<Word> words) {}

    private final List<Shown> results;

    private Citations(List<Shown> results) {
        this.results = List.copyOf(results);
    }

    /** @return citations over no results: nothing is cited */
    public static Citations none() {
        return NONE;
    }

    /** @return these results followed by {@code shown}, the results of a later search, in the order shown */
    public Citations plus(List<SearchHit> shown) {
        List<Shown> all = new ArrayList<>(results);
        shown.forEach(hit -> all.add(new Shown(hit, words(hit.snippet()))));
        return new Citations(all);
    }

    /**
     * @param text answer text
     * @return its citations, one per result it draws on, in the order the results were shown; empty when none
     */
    public List<RawJson> of(String text) {
        Objects.requireNonNull(text, "'text' must not be null");
        if (results.isEmpty() || text.isBlank()) {
            return List.of();
        }
        List<Word> said = words(text);
        String lowerText = text.toLowerCase(Locale.ROOT);
        List<RawJson> citations = new ArrayList<>();
        for (int i = 0; i < results.size(); i++) {
            SearchHit hit = results.get(i).hit();
            List<Word> excerpt = results.get(i).words();
            int from = sharedRunStart(said, excerpt);
            if (from >= 0) {
                citations.add(citation(
                        i, hit, sentenceFrom(hit.snippet(), excerpt.get(from).start())));
            } else if (!hit.url().isBlank() && lowerText.contains(hit.url().toLowerCase(Locale.ROOT))) {
                citations.add(citation(i, hit, hit.snippet()));
            }
        }
        return citations;
    }

    /**
     * @param encryptedIndex a citation's {@code encrypted_index}
     * @return which result it points at: its position in the order results were shown; empty when not Keyline's
     */
    public static OptionalInt resultIndex(String encryptedIndex) {
        try {
            String decoded = new String(Base64.getUrlDecoder().decode(encryptedIndex), StandardCharsets.UTF_8);
            return decoded.startsWith(INDEX_PREFIX)
                    ? OptionalInt.of(Integer.parseInt(decoded.substring(INDEX_PREFIX.length())))
                    : OptionalInt.empty();
        } catch (IllegalArgumentException e) {
            return OptionalInt.empty();
        }
    }

    private static RawJson citation(int index, SearchHit hit, String quoted) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("type", "web_search_result_location");
        fields.put("cited_text", shorten(quoted));
        fields.put("url", hit.url());
        fields.put("title", hit.title());
        // Opaque to clients, as Anthropic's is; Keyline reads it back with resultIndex. No secret is in it.
        fields.put(
                "encrypted_index",
                Base64.getUrlEncoder()
                        .withoutPadding()
                        .encodeToString((INDEX_PREFIX + index).getBytes(StandardCharsets.UTF_8)));
        return new RawJson(fields);
    }

    private record Word(String text, int start) {}

    private static List<Word> words(String text) {
        List<Word> words = new ArrayList<>();
        Matcher matcher = WORD.matcher(text);
        while (matcher.find()) {
            words.add(new Word(matcher.group().toLowerCase(Locale.ROOT), matcher.start()));
        }
        return words;
    }

    /** @return where in {@code excerpt} the longest run of words it shares with {@code said} starts, if long enough */
    private static int sharedRunStart(List<Word> said, List<Word> excerpt) {
        int[] previous = new int[excerpt.size() + 1];
        int[] current = new int[excerpt.size() + 1];
        int best = 0;
        int bestEnd = -1;
        for (Word word : said) {
            for (int j = 1; j <= excerpt.size(); j++) {
                current[j] = word.text().equals(excerpt.get(j - 1).text()) ? previous[j - 1] + 1 : 0;
                if (current[j] > best) {
                    best = current[j];
                    bestEnd = j - 1;
                }
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return best >= MIN_SHARED_WORDS ? bestEnd - best + 1 : -1;
    }

    private static String sentenceFrom(String snippet, int offset) {
        int start = 0;
        for (String end : List.of(". ", "! ", "? ", "\n")) {
            int found = snippet.lastIndexOf(end, offset - 1);
            if (found >= 0) {
                start = Math.max(start, found + end.length());
            }
        }
        return snippet.substring(Math.min(start, offset));
    }

    private static String shorten(String text) {
        String oneLine = text.strip().replaceAll("\\s+", " ");
        return oneLine.length() <= MAX_CITED_TEXT ? oneLine : oneLine.substring(0, MAX_CITED_TEXT - 3) + "...";
    }
}
