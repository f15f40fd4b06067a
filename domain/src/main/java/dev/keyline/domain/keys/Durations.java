package dev.keyline.domain.keys;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** LiteLLM's short durations ({@code budget_duration}, {@code duration}): {@code 30s}, {@code 15m}, {@code 1h}, {@code 30d}, {@code 1w}, {@code 1mo} (30 days). */
public final class Durations {

    private static final Pattern SHAPE = Pattern.compile("(\\d{1,9})(s|m|h|d|w|mo)");

    private Durations() {}

    /** @throws IllegalArgumentException naming the accepted shapes */
    public static Duration parse(String text) {
        Matcher m = SHAPE.matcher(text.strip());
        if (!m.matches()) {
            throw new IllegalArgumentException("not a duration: '" + (text.length() > 40 ? text.substring(0, 40) : text)
                    + "' (use a number and a unit: 30s, 15m, 1h, 30d, 1w, 1mo)");
        }
        long n = Long.parseLong(m.group(1));
        if (n < 1) {
            throw new IllegalArgumentException("a duration must be at least 1 of its unit, was " + text);
        }
        return switch (m.group(2)) {
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            case "d" -> Duration.ofDays(n);
            case "w" -> Duration.ofDays(7 * n);
            default -> Duration.ofDays(30 * n);
        };
    }

    /** @return the shortest text {@link #parse} reads back as this duration */
    public static String format(Duration d) {
        long s = d.toSeconds();
        if (s % 86_400 == 0) {
            return s / 86_400 + "d";
        }
        if (s % 3_600 == 0) {
            return s / 3_600 + "h";
        }
        if (s % 60 == 0) {
            return s / 60 + "m";
        }
        return s + "s";
    }
}
