package dev.keyline.app.search;

import dev.keyline.adapters.search.BraveSearchEngine;
import dev.keyline.adapters.search.ExaSearchEngine;
import dev.keyline.adapters.search.OfflineSearchEngine;
import dev.keyline.adapters.search.PerplexitySearchEngine;
import dev.keyline.adapters.search.SearxngSearchEngine;
import dev.keyline.adapters.search.TavilySearchEngine;
import dev.keyline.app.config.ConfigException;
import dev.keyline.app.config.GatewayConfig;
import dev.keyline.app.config.SearchToolSettings;
import dev.keyline.domain.keys.Usd;
import dev.keyline.domain.websearch.SearchOutcome;
import dev.keyline.ports.out.SearchEngine;
import dev.keyline.ports.out.Telemetry;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.AccessDeniedException;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * Builds the engine web-search interception uses: the {@code search_tools} entry named by {@code search_tool_name},
 * else the first entry. There is no default engine: a configuration that intercepts searches names its engine (the
 * loader refuses one that does not), so real users never get the demo's toy corpus as "web results".
 */
public final class SearchEngines {

    private SearchEngines() {}

    /** @return the engine for this configuration */
    public static SearchEngine forConfig(GatewayConfig config) {
        SearchToolSettings tool = chosen(config)
                .orElseThrow(() ->
                        new ConfigException("web-search interception is on but no search_tools entry names an engine"));
        return build(tool);
    }

    /** @return the configuration's engine, built by {@link #forConfig(GatewayConfig)}, each search measured by its provider's name */
    public static SearchEngine measured(GatewayConfig config, SearchEngine engine, Telemetry telemetry) {
        SearchToolSettings tool = chosen(config).orElseThrow();
        if (telemetry instanceof Telemetry.Off) {
            return engine;
        }
        return request -> {
            long started = System.nanoTime();
            SearchOutcome outcome = engine.search(request);
            telemetry.search(tool.provider(), outcome.code(), Duration.ofNanos(System.nanoTime() - started));
            return outcome;
        };
    }

    /** @return a short description of the engine, for the startup log; no key */
    public static String describe(GatewayConfig config) {
        return chosen(config).map(t -> t.name() + " (" + t.provider() + ")").orElse("no engine");
    }

    /** @return what one search costs on the engine the gateway uses ({@code input_cost_per_query}), zero if none */
    public static Usd pricePerQuery(GatewayConfig config) {
        return chosen(config).map(SearchToolSettings::pricePerQuery).orElse(Usd.ZERO);
    }

    /** The {@code search_tools} entry named by {@code search_tool_name}, else the first entry. */
    private static Optional<SearchToolSettings> chosen(GatewayConfig config) {
        return config.webSearch()
                .searchToolName()
                .flatMap(name -> config.searchTools().stream()
                        .filter(t -> t.name().equals(name))
                        .findFirst())
                .or(() -> config.searchTools().stream().findFirst());
    }

    static SearchEngine build(SearchToolSettings tool) {
        return switch (tool.engine()) {
            case SEARXNG ->
                new SearxngSearchEngine(
                        uri(
                                tool,
                                tool.apiBase()
                                        .orElseThrow(() -> new ConfigException("search_tools '" + tool.name()
                                                + "': searxng needs api_base, the address of your instance"))),
                        tool.apiKey(),
                        tool.params(),
                        tool.timeout());
            case TAVILY ->
                new TavilySearchEngine(
                        base(tool, TavilySearchEngine.DEFAULT_BASE), tool.apiKey(), tool.params(), tool.timeout());
            case BRAVE ->
                new BraveSearchEngine(base(tool, BraveSearchEngine.DEFAULT_BASE), tool.apiKey(), tool.timeout());
            case EXA -> new ExaSearchEngine(base(tool, ExaSearchEngine.DEFAULT_BASE), tool.apiKey(), tool.timeout());
            case PERPLEXITY ->
                new PerplexitySearchEngine(
                        base(tool, PerplexitySearchEngine.DEFAULT_BASE), tool.apiKey(), tool.timeout());
            case OFFLINE -> offline(tool);
        };
    }

    private static SearchEngine offline(SearchToolSettings tool) {
        Optional<String> corpus = Optional.ofNullable(tool.params().get("corpus"));
        if (corpus.isEmpty()) {
            throw new ConfigException("search_tools '" + tool.name() + "': the offline engine needs corpus: FILE");
        }
        String prefix = "search_tools '" + tool.name() + "': corpus " + corpus.get();
        try {
            return OfflineSearchEngine.fromJsonl(Path.of(corpus.get()));
        } catch (NoSuchFileException e) {
            throw new ConfigException(prefix + " does not exist");
        } catch (AccessDeniedException e) {
            throw new ConfigException(prefix + " cannot be read: permission denied");
        } catch (InvalidPathException e) {
            throw new ConfigException(prefix + " is not a valid path: " + e.getReason());
        } catch (IOException e) {
            // The reader's own reasons name the line ("line 3 is not a JSON object ..."); others name the failure.
            String reason = e.getMessage() != null && e.getMessage().startsWith("line ")
                    ? "is not JSON Lines: " + e.getMessage()
                    : "cannot be read (" + e.getClass().getSimpleName() + ")";
            throw new ConfigException(prefix + " " + reason);
        }
    }

    private static URI base(SearchToolSettings tool, URI fallback) {
        return tool.apiBase().map(b -> uri(tool, b)).orElse(fallback);
    }

    private static URI uri(SearchToolSettings tool, String base) {
        try {
            URI uri = new URI(base);
            if (!"http".equalsIgnoreCase(uri.getScheme()) && !"https".equalsIgnoreCase(uri.getScheme())
                    || uri.getHost() == null) {
                throw new ConfigException("search_tools '" + tool.name() + "': api_base must be an http or https URL"
                        + " with a host, got '" + base + "'");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new ConfigException(
                    "search_tools '" + tool.name() + "': api_base is not a URL (" + e.getReason() + ")");
        }
    }
}
