package dev.keyline.app.config;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The search engines {@code search_tools[].litellm_params.search_provider} may name: the one list the configuration
 * reader, its messages and the engine factory ({@code SearchEngines.build}, an exhaustive switch) all read.
 */
public enum SearchProvider {
    SEARXNG(true, "searxng"),
    TAVILY(true, "tavily"),
    BRAVE(true, "brave"),
    EXA(true, "exa", "exa_ai"),
    PERPLEXITY(true, "perplexity"),
    /** A local JSON Lines corpus, for offline use and the demo. */
    OFFLINE(false, "offline");

    private final boolean web;
    private final List<String> names;

    SearchProvider(boolean web, String... names) {
        this.web = web;
        this.names = List.of(names);
    }

    /** @return the provider a configuration value names (LiteLLM's spellings included), or empty */
    public static Optional<SearchProvider> named(String name) {
        return Arrays.stream(values()).filter(p -> p.names.contains(name)).findFirst();
    }

    /** @return every accepted configuration value, in this list's order */
    public static List<String> allNames() {
        return Arrays.stream(values()).flatMap(p -> p.names.stream()).toList();
    }

    /** @return the main name of each engine that searches the web, for messages ("searxng, tavily, …") */
    public static List<String> webEngines() {
        return Arrays.stream(values())
                .filter(p -> p.web)
                .map(p -> p.names.getFirst())
                .toList();
    }
}
