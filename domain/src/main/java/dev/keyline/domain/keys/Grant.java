package dev.keyline.domain.keys;

import java.util.Objects;
import java.util.Set;

/**
 * What a key or a team may use: the model groups (none named: every group), its budget and its rate limits.
 *
 * @param models the model groups allowed; empty for all
 * @param budget the budget
 * @param limits the rate limits
 */
public record Grant(Set<String> models, Budget budget, Limits limits) {

    public static final Grant OPEN = new Grant(Set.of(), Budget.NONE, Limits.NONE);

    public Grant {
        models = Set.copyOf(models);
        Objects.requireNonNull(budget, "'budget' must not be null");
        Objects.requireNonNull(limits, "'limits' must not be null");
    }

    /** @return whether a model group may be called under this grant */
    public boolean allows(String group) {
        return models.isEmpty() || models.contains(group);
    }
}
