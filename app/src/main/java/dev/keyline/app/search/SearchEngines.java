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
import dev.keyline.domain.websearch.SearchOutcome;
import dev.keyline.ports.out.SearchEngine;
import dev.keyline.ports.out.Telemetry;
import java.io.IOException;
import java.net.URI;
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
        return forConfig(config, Telemetry.off());
    }

    /** @return the engine for this configuration, each search measured by its provider's name */
    public static SearchEngine forConfig(GatewayConfig config, Telemetry telemetry) {
        SearchToolSettings tool = chosen(config)
                .orElseThrow(() ->
                        new ConfigException("web-search interception is on but no search_tools entry names an engine"));
        SearchEngine engine = build(tool);
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
        return switch (tool.provider()) {
            case "searxng" ->
                new SearxngSearchEngine(
                        URI.create(tool.apiBase()
                                .orElseThrow(() -> new ConfigException("search_tools '" + tool.name()
                                        + "': searxng needs api_base, the address of your instance"))),
                        tool.apiKey(),
                        tool.params(),
                        tool.timeout());
            case "tavily" ->
                new TavilySearchEngine(
                        base(tool, TavilySearchEngine.DEFAULT_BASE), tool.apiKey(), tool.params(), tool.timeout());
            case "brave" ->
                new BraveSearchEngine(base(tool, BraveSearchEngine.DEFAULT_BASE), tool.apiKey(), tool.timeout());
            case "exa", "exa_ai" ->
                new ExaSearchEngine(base(tool, ExaSearchEngine.DEFAULT_BASE), tool.apiKey(), tool.timeout());
            case "perplexity" ->
                new PerplexitySearchEngine(
                        base(tool, PerplexitySearchEngine.DEFAULT_BASE), tool.apiKey(), tool.timeout());
            case "offline" -> offline(tool);
            default ->
                throw new ConfigException("search_tools '" + tool.name() + "': unknown provider " + tool.provider());
        };
    }

    private static SearchEngine offline(SearchToolSettings tool) {
        Optional<String> corpus = Optional.ofNullable(tool.params().get("corpus"));
        if (corpus.isEmpty()) {
            throw new ConfigException("search_tools '" + tool.name() + "': the offline engine needs corpus: FILE");
        }
        try {
            return OfflineSearchEngine.fromJsonl(Path.of(corpus.get()));
        } catch (IOException e) {
            throw new ConfigException("search_tools '" + tool.name() + "': corpus " + corpus.get() + " cannot be read: "
                    + e.getMessage());
        }
    }

    private static URI base(SearchToolSettings tool, URI fallback) {
        return tool.apiBase().map(URI::create).orElse(fallback);
    }
}
