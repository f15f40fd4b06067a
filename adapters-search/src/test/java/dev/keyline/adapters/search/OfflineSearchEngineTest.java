package dev.keyline.adapters.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keyline.domain.websearch.SearchOutcome;
import dev.keyline.domain.websearch.SearchRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OfflineSearchEngineTest {

    @Test
    void theBundledCorpus_findsTheDocumentAboutTheQuery_first() {
        SearchOutcome outcome = OfflineSearchEngine.bundledCorpus().search(request("java 25 release date"));

        SearchOutcome.Found found = assertInstanceOf(SearchOutcome.Found.class, outcome);
        assertEquals(
                "https://openjdk.example/projects/jdk/25",
                found.hits().getFirst().url());
        assertEquals(Optional.of("2025-09-16"), found.hits().getFirst().date());
        assertTrue(found.hits().getFirst().snippet().contains("JDK 25"));
    }

    @Test
    void querySyntax_cannotBreakASearch_andNothingMatchingIsAnEmptyResult() {
        OfflineSearchEngine engine = OfflineSearchEngine.bundledCorpus();

        assertInstanceOf(SearchOutcome.Found.class, engine.search(request("title:(\"unbalanced AND [")));
        assertEquals(new SearchOutcome.Found(List.of()), engine.search(request("zzzzqqq")));
    }

    @Test
    void aJsonlFile_isIndexed(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("docs.jsonl");
        Files.writeString(file, """
                {"title":"Alpha","url":"https://a.example","text":"alpha particles"}

                {"url":"https://b.example","text":"beta decay"}
                """);

        SearchOutcome.Found found = assertInstanceOf(
                SearchOutcome.Found.class, OfflineSearchEngine.fromJsonl(file).search(request("beta")));

        assertEquals("https://b.example", found.hits().getFirst().title());
        assertEquals(1, found.hits().size());
    }

    private static SearchRequest request(String query) {
        return new SearchRequest(query, List.of(), List.of(), Optional.empty(), 3);
    }
}
