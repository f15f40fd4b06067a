package dev.keyline.adapters.search;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keyline.domain.websearch.SearchError;
import dev.keyline.domain.websearch.SearchHit;
import dev.keyline.domain.websearch.SearchOutcome;
import dev.keyline.domain.websearch.SearchRequest;
import dev.keyline.ports.out.SearchEngine;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.CharArraySet;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.standard.StandardAnalyzer;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.BoostQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.store.ByteBuffersDirectory;
import org.apache.lucene.store.Directory;

/**
 * A search engine over local documents, with no network: a Lucene index (BM25) built in memory at start from a
 * JSONL file ({@code {"title","url","text","date"}} per line) or the bundled demo corpus. Queries are analysed
 * into terms and matched against titles (weighted double) and texts, so no query syntax can make a search fail.
 */
public final class OfflineSearchEngine implements SearchEngine {

    private static final int SNIPPET_LENGTH = 300;

    /** Common English words carry no meaning for ranking ("When was Java 25 released?" is about Java 25). */
    private static final CharArraySet STOP_WORDS = new CharArraySet(
            List.of(
                    "a", "an", "and", "are", "as", "at", "be", "but", "by", "can", "did", "do", "does", "for", "from",
                    "has", "have", "how", "i", "if", "in", "into", "is", "it", "its", "me", "my", "no", "not", "of",
                    "on", "or", "such", "that", "the", "their", "then", "there", "these", "they", "this", "to", "was",
                    "were", "what", "when", "where", "which", "who", "why", "will", "with", "you", "your"),
            true);

    private final Analyzer analyzer = new StandardAnalyzer(STOP_WORDS);
    private final IndexSearcher searcher;

    /** @param documents what can be found; must not be empty */
    public OfflineSearchEngine(List<OfflineDocument> documents) {
        if (documents.isEmpty()) {
            throw new IllegalArgumentException("the offline search engine needs at least one document");
        }
        Directory directory = new ByteBuffersDirectory();
        try (IndexWriter writer = new IndexWriter(directory, new IndexWriterConfig(analyzer))) {
            for (OfflineDocument source : documents) {
                Document document = new Document();
                document.add(new TextField("title", source.title(), Field.Store.YES));
                document.add(new TextField("text", source.text(), Field.Store.YES));
                document.add(new StoredField("url", source.url()));
                source.date().ifPresent(date -> document.add(new StoredField("date", date)));
                writer.addDocument(document);
            }
            writer.commit();
            this.searcher = new IndexSearcher(DirectoryReader.open(directory));
        } catch (IOException e) {
            throw new UncheckedIOException("could not build the offline search index", e);
        }
    }

    /** @return an engine over a JSONL file of documents */
    public static OfflineSearchEngine fromJsonl(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return new OfflineSearchEngine(readJsonl(in));
        }
    }

    /** @return an engine over the small corpus bundled with Keyline, for the demo */
    public static OfflineSearchEngine bundledCorpus() {
        try (InputStream in = bundledCorpusStream()) {
            return new OfflineSearchEngine(readJsonl(in));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @return the demo's bundled corpus as JSON Lines, for a demo that names it as a file like any user would */
    public static InputStream bundledCorpusStream() {
        InputStream in = OfflineSearchEngine.class.getResourceAsStream("/keyline/demo-corpus.jsonl");
        if (in == null) {
            throw new IllegalStateException("the bundled demo corpus is missing from the jar");
        }
        return in;
    }

    @Override
    public SearchOutcome search(SearchRequest request) {
        List<String> terms = terms(request.query());
        if (terms.isEmpty()) {
            return new SearchOutcome.Found(List.of());
        }
        BooleanQuery.Builder query = new BooleanQuery.Builder();
        for (String term : terms) {
            query.add(new BoostQuery(new TermQuery(new Term("title", term)), 2f), BooleanClause.Occur.SHOULD);
            query.add(new TermQuery(new Term("text", term)), BooleanClause.Occur.SHOULD);
        }
        try {
            List<SearchHit> hits = new ArrayList<>();
            for (ScoreDoc scored : searcher.search(query.build(), request.maxResults()).scoreDocs) {
                Document document = searcher.storedFields().document(scored.doc);
                hits.add(new SearchHit(
                        document.get("title"),
                        document.get("url"),
                        snippet(document.get("text"), terms),
                        Optional.ofNullable(document.get("date"))));
            }
            return new SearchOutcome.Found(hits);
        } catch (IOException e) {
            return new SearchOutcome.Failed(SearchError.UNAVAILABLE, "the offline index could not be read");
        }
    }

    private List<String> terms(String text) {
        List<String> terms = new ArrayList<>();
        try (TokenStream tokens = analyzer.tokenStream("text", text)) {
            CharTermAttribute term = tokens.addAttribute(CharTermAttribute.class);
            tokens.reset();
            while (tokens.incrementToken()) {
                terms.add(term.toString());
            }
            tokens.end();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return terms;
    }

    /** The sentence that first mentions a query term, else the start of the text. */
    private static String snippet(String text, List<String> terms) {
        String lower = text.toLowerCase(Locale.ROOT);
        int at = terms.stream()
                .mapToInt(lower::indexOf)
                .filter(i -> i >= 0)
                .min()
                .orElse(0);
        int sentenceEnd = text.lastIndexOf(". ", at);
        String from = text.substring(sentenceEnd < 0 ? 0 : sentenceEnd + 2);
        return from.length() <= SNIPPET_LENGTH ? from : from.substring(0, SNIPPET_LENGTH) + "…";
    }

    private static List<OfflineDocument> readJsonl(InputStream in) throws IOException {
        ObjectMapper mapper = new ObjectMapper();
        List<OfflineDocument> documents = new ArrayList<>();
        BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        int number = 0;
        for (String line = reader.readLine(); line != null; line = reader.readLine()) {
            number++;
            if (line.isBlank()) {
                continue;
            }
            JsonNode json;
            try {
                json = mapper.readTree(line);
            } catch (JsonProcessingException e) {
                // The parser's reason up to its list of what it expected: enough to find the slip on that line.
                String reason = String.valueOf(e.getOriginalMessage());
                int colon = reason.indexOf(':');
                throw new IOException("line " + number + " is not a JSON object ("
                        + (colon < 0 ? reason : reason.substring(0, colon)) + ")");
            }
            if (!json.path("url").isTextual() || !json.path("text").isTextual()) {
                throw new IOException("line " + number + " needs \"url\" and \"text\" strings");
            }
            documents.add(new OfflineDocument(
                    json.path("title").asText(json.get("url").asText()),
                    json.get("url").asText(),
                    json.get("text").asText(),
                    json.path("date").isTextual() ? Optional.of(json.get("date").asText()) : Optional.empty()));
        }
        return documents;
    }
}
