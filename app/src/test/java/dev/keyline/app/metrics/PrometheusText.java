package dev.keyline.app.metrics;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A strict reader of Prometheus's text exposition format (0.0.4): every line a HELP, a TYPE or a sample of a family
 * whose TYPE came first, names and label sets as the grammar allows, values as numbers. Anything else fails the read.
 */
public final class PrometheusText {

    private static final String NAME = "[a-zA-Z_:][a-zA-Z0-9_:]*";
    private static final String LABEL = "[a-zA-Z_][a-zA-Z0-9_]*=\"(?:\\\\.|[^\"\\\\])*\"";
    private static final Pattern SAMPLE = Pattern.compile("^(" + NAME + ")(\\{(?:" + LABEL + ")(?:," + LABEL
            + ")*\\})? ([-+]?(?:[0-9]+(?:\\.[0-9]*)?(?:[eE][-+]?[0-9]+)?|NaN|\\+Inf|-Inf))$");
    private static final Pattern TYPE =
            Pattern.compile("^# TYPE (" + NAME + ") (counter|gauge|histogram|summary|untyped)$");
    private static final Pattern HELP = Pattern.compile("^# HELP (" + NAME + ") .*$");

    private PrometheusText() {}

    /** @return each sample's value by its series ({@code name{labels}} as written) */
    public static Map<String, Double> read(String text) {
        Map<String, Double> samples = new HashMap<>();
        Set<String> families = new HashSet<>();
        int number = 0;
        for (String line : text.split("\n", -1)) {
            number++;
            if (line.isEmpty()) {
                continue;
            }
            Matcher type = TYPE.matcher(line);
            if (type.matches()) {
                families.add(type.group(1));
                continue;
            }
            if (HELP.matcher(line).matches()) {
                continue;
            }
            Matcher sample = SAMPLE.matcher(line);
            if (!sample.matches()) {
                throw new IllegalArgumentException("line " + number + " is not valid exposition text: " + line);
            }
            String name = sample.group(1);
            if (families.stream().noneMatch(f -> name.equals(f) || name.startsWith(f + "_"))) {
                throw new IllegalArgumentException("line " + number + ": " + name + " has no TYPE before it");
            }
            String series = name + (sample.group(2) == null ? "" : sample.group(2));
            if (samples.put(series, Double.parseDouble(sample.group(3).replace("Inf", "Infinity"))) != null) {
                throw new IllegalArgumentException("line " + number + ": " + series + " appears twice");
            }
        }
        return samples;
    }
}
