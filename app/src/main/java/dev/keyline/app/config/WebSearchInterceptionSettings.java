package dev.keyline.app.config;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The {@code websearch_interception} callback: whether it is on, for which providers, which search tool it uses
 * and how many model hops a search loop may take.
 */
public record WebSearchInterceptionSettings(
        boolean enabled, List<String> enabledProviders, Optional<String> searchToolName, int maxAgenticLoops) {

    public static final int DEFAULT_MAX_AGENTIC_LOOPS = 3;

    public WebSearchInterceptionSettings {
        enabledProviders = List.copyOf(Objects.requireNonNull(enabledProviders, "'enabledProviders' must not be null"));
        Objects.requireNonNull(searchToolName, "'searchToolName' must not be null");
        if (maxAgenticLoops < 1) {
            throw new IllegalArgumentException("max_agentic_loops must be at least 1, was " + maxAgenticLoops);
        }
    }

    public static WebSearchInterceptionSettings off() {
        return new WebSearchInterceptionSettings(false, List.of(), Optional.empty(), DEFAULT_MAX_AGENTIC_LOOPS);
    }
}
