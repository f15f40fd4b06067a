package dev.keyline.domain.websearch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keyline.domain.message.RawJson;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class CitationsTest {

    private static final SearchHit JAVA = new SearchHit(
            "Java 25 released",
            "https://openjdk.example/jdk/25",
            "The JDK team met in Santa Clara. JDK 25, a long-term support release, reached general availability on"
                    + " 16 September 2025 with compact source files, scoped values and generational Shenandoah among"
                    + " many other features that teams waited for.",
            Optional.empty());
    private static final SearchHit TEA =
            new SearchHit("Tea", "https://tea.example/", "Green tea is made from unoxidised leaves.", Optional.empty());
    private final Citations citations = Citations.none().plus(List.of(TEA)).plus(List.of(JAVA));

    @Test
    void textThatQuotesAResult_citesIt_fromTheSentenceTheQuoteStartsIn() {
        List<RawJson> found = citations.of("Good news: JDK 25, a long-term support release, shipped in September.");

        assertEquals(1, found.size());
        RawJson citation = found.getFirst();
        assertEquals("web_search_result_location", citation.get("type").orElseThrow());
        assertEquals(JAVA.url(), citation.get("url").orElseThrow());
        assertEquals(JAVA.title(), citation.get("title").orElseThrow());
        String cited = (String) citation.get("cited_text").orElseThrow();
        assertTrue(cited.startsWith("JDK 25, a long-term support release, reached"), cited);
        assertEquals(Citations.MAX_CITED_TEXT, cited.length(), cited);
        assertTrue(cited.endsWith("..."), cited);
        assertEquals(OptionalInt.of(1), Citations.resultIndex((String)
                citation.get("encrypted_index").orElseThrow()));
    }

    @Test
    void textThatNamesAResultsUrl_citesIt() {
        List<RawJson> found = citations.of("See https://tea.example/ for more.");

        assertEquals(
                List.of(TEA.url()),
                found.stream().map(c -> c.get("url").orElseThrow()).toList());
        assertEquals(OptionalInt.of(0), Citations.resultIndex((String)
                found.getFirst().get("encrypted_index").orElseThrow()));
    }

    @Test
    void textThatSharesOnlyAFewWords_orNoResults_citesNothing() {
        assertEquals(List.of(), citations.of("JDK 25 is a release of the JDK."));
        assertEquals(List.of(), Citations.none().of("JDK 25, a long-term support release, reached general"));
        assertEquals(List.of(), citations.of(""));
    }

    @Test
    void anIndexThatIsNotKeylines_mapsToNothing() {
        assertEquals(OptionalInt.empty(), Citations.resultIndex("Eo8BCioIAhgBIiQyYjQ0OWJmZi1lNm"));
        assertEquals(OptionalInt.empty(), Citations.resultIndex("not base64 !"));
    }
}
