package dev.keyline.app.config;

import java.util.List;

/**
 * A configuration file that cannot be used. Each problem names the key path and what was expected; the message is
 * the first of them, saying how many more there are.
 */
public final class ConfigException extends RuntimeException {

    private final List<String> problems;

    public ConfigException(String problem) {
        this(List.of(problem));
    }

    public ConfigException(List<String> problems) {
        super(summary(problems), null, false, false);
        this.problems = List.copyOf(problems);
    }

    /** @return every problem found, one line each */
    public List<String> problems() {
        return problems;
    }

    static ConfigException at(String path, String problem) {
        return new ConfigException(path.isEmpty() ? problem : path + ": " + problem);
    }

    private static String summary(List<String> problems) {
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("a configuration error needs a problem");
        }
        return problems.size() == 1
                ? problems.getFirst()
                : problems.getFirst() + " (and " + (problems.size() - 1) + " more: keyline check --config FILE lists"
                        + " them all)";
    }
}
