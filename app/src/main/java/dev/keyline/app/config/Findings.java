package dev.keyline.app.config;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What reading a configuration found besides the values: problems that stop start-up, warnings, and settings
 * Keyline does not use. Problems are collected rather than thrown one by one, so {@code keyline check} can list
 * every one of them.
 */
final class Findings {

    /** What a misspelled key in a section can do: send traffic or keys elsewhere (a problem), or less (a warning). */
    enum TypoRisk {
        MISDIRECTS,
        DEGRADES
    }

    private final List<String> problems = new ArrayList<>();
    private final List<String> warnings = new ArrayList<>();
    private final List<String> unused = new ArrayList<>();

    void problem(String message) {
        // A value read twice (once to check, once to use) reports its problem once.
        if (!problems.contains(message)) {
            problems.add(message);
        }
    }

    void warn(String message) {
        warnings.add(message);
    }

    /**
     * Reports the keys of {@code node} outside {@code known}. A key that is a near miss of a known one is reported
     * with a "did you mean", as a problem when {@code risk} says a slip there misdirects traffic or keys; a key
     * LiteLLM accepts that Keyline does not use yet is listed as such; anything else as unused.
     *
     * @param acceptedUnused LiteLLM keys Keyline accepts without acting on them
     */
    void checkKeys(ConfigNode node, Set<String> known, Set<String> acceptedUnused, TypoRisk risk) {
        check(node, known, acceptedUnused, risk == TypoRisk.MISDIRECTS ? known : Set.of());
    }

    void checkKeys(ConfigNode node, Set<String> known, TypoRisk risk) {
        checkKeys(node, known, Set.of(), risk);
    }

    /** The same, where only a slip for one of {@code misdirecting} is a problem; others are warnings. */
    void checkKeys(ConfigNode node, Set<String> known, Set<String> misdirecting) {
        check(node, known, Set.of(), misdirecting);
    }

    private void check(ConfigNode node, Set<String> known, Set<String> acceptedUnused, Set<String> misdirecting) {
        Set<String> all = new HashSet<>(known);
        all.addAll(acceptedUnused);
        for (String key : node.keys()) {
            if (known.contains(key)) {
                continue;
            }
            if (acceptedUnused.contains(key)) {
                unused.add(node.child(key) + " (accepted, not used by Keyline yet)");
                continue;
            }
            Optional<String> meant = KeyTypos.nearest(key, all);
            if (meant.isEmpty()) {
                unused.add(node.child(key));
            } else if (misdirecting.contains(meant.get())) {
                problems.add(node.child(key) + ": unknown setting; did you mean " + meant.get() + "?");
            } else {
                warnings.add(node.child(key) + ": unknown setting, ignored; did you mean " + meant.get() + "?");
            }
        }
    }

    List<String> problems() {
        return List.copyOf(problems);
    }

    /** @return the warnings, then one line naming the settings Keyline does not use, if any */
    List<String> warnings() {
        List<String> all = new ArrayList<>(warnings);
        if (!unused.isEmpty()) {
            all.add("settings Keyline does not use: " + String.join(", ", unused));
        }
        return all;
    }
}
