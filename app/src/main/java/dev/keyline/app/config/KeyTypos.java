package dev.keyline.app.config;

import java.util.Collection;
import java.util.Locale;
import java.util.Optional;

/**
 * Finds the known key a misspelled one was meant to be: the same key in another case or with {@code -} for
 * {@code _}, or one a few edits away ({@code api_bsae} → {@code api_base}, {@code websearch_intercept} →
 * {@code websearch_interception}).
 */
final class KeyTypos {

    private KeyTypos() {}

    /** @return the known key {@code key} most likely stands for, or empty when none is close */
    static Optional<String> nearest(String key, Collection<String> known) {
        String wanted = normalize(key);
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : known) {
            String normalized = normalize(candidate);
            if (normalized.equals(wanted)) {
                return Optional.of(candidate);
            }
            int distance = distance(wanted, normalized);
            if (distance <= allowed(Math.max(wanted.length(), normalized.length())) && distance < bestDistance) {
                best = candidate;
                bestDistance = distance;
            }
        }
        return Optional.ofNullable(best);
    }

    // One edit in a short key, about one in five in a long one: close enough to be a slip, not another word.
    private static int allowed(int length) {
        return length < 4 ? 0 : Math.max(1, length / 5);
    }

    private static String normalize(String key) {
        return key.strip().toLowerCase(Locale.ROOT).replace('-', '_');
    }

    /** Optimal string alignment distance: insertions, deletions, substitutions and swaps of neighbours. */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
