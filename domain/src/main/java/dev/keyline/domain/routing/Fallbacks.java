package dev.keyline.domain.routing;

import dev.keyline.domain.deployment.ModelGroupName;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Where a request goes when its model group cannot serve it ({@code fallbacks}, {@code context_window_fallbacks},
 * {@code content_policy_fallbacks}, {@code default_fallbacks}). A context-window failure uses its own list when the
 * group has one, else the general list. A content-policy refusal goes only to {@code content_policy_fallbacks}:
 * without one it is the model's answer to give, not another model's to replace. A plainly invalid request falls
 * back nowhere.
 *
 * @param general       {@code group -> [backup groups]}
 * @param contextWindow for prompts too long for the group
 * @param contentPolicy for content the group's model refused
 * @param defaults      for groups without a general entry
 * @param maxFallbacks  the most fallback groups tried for one request
 */
public record Fallbacks(
        Map<ModelGroupName, List<ModelGroupName>> general,
        Map<ModelGroupName, List<ModelGroupName>> contextWindow,
        Map<ModelGroupName, List<ModelGroupName>> contentPolicy,
        List<ModelGroupName> defaults,
        int maxFallbacks) {

    public static final int DEFAULT_MAX_FALLBACKS = 5;

    public Fallbacks {
        general = copy(general);
        contextWindow = copy(contextWindow);
        contentPolicy = copy(contentPolicy);
        defaults = List.copyOf(Objects.requireNonNull(defaults, "'defaults' must not be null"));
        if (maxFallbacks < 0) {
            throw new IllegalArgumentException("max_fallbacks must not be negative");
        }
    }

    public static Fallbacks none() {
        return new Fallbacks(Map.of(), Map.of(), Map.of(), List.of(), DEFAULT_MAX_FALLBACKS);
    }

    /**
     * @param group   the group that could not serve
     * @param trigger why
     * @return the groups to try in order, without {@code group} itself, at most {@code maxFallbacks}
     */
    public List<ModelGroupName> after(ModelGroupName group, FallbackTrigger trigger) {
        List<ModelGroupName> listed = switch (trigger) {
            case NONE -> List.of();
            case UNAVAILABLE -> general.getOrDefault(group, defaults);
            case CONTEXT_WINDOW -> contextWindow.getOrDefault(group, general.getOrDefault(group, defaults));
            case CONTENT_POLICY -> contentPolicy.getOrDefault(group, List.of());
        };
        Set<ModelGroupName> distinct = new LinkedHashSet<>(listed);
        distinct.remove(group);
        return new ArrayList<>(distinct).subList(0, Math.min(distinct.size(), maxFallbacks));
    }

    private static Map<ModelGroupName, List<ModelGroupName>> copy(Map<ModelGroupName, List<ModelGroupName>> map) {
        Objects.requireNonNull(map, "fallback maps must not be null");
        return Map.copyOf(
                map.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, e -> List.copyOf(e.getValue()))));
    }
}
