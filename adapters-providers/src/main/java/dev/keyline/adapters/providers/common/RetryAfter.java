package dev.keyline.adapters.providers.common;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * Reads the wait an upstream asks for: {@code retry-after-ms} (milliseconds) first, then {@code retry-after} as
 * seconds or an HTTP date. Anything unreadable or negative counts as no request.
 */
public final class RetryAfter {

    private RetryAfter() {}

    public static Optional<Duration> parse(
            Optional<String> retryAfterMs, Optional<String> retryAfter, InstantSource clock) {
        Optional<Duration> millis =
                retryAfterMs.flatMap(RetryAfter::decimal).map(v -> Duration.ofNanos((long) (v * 1e6)));
        if (millis.isPresent()) {
            return millis;
        }
        return retryAfter.flatMap(value -> decimal(value)
                .map(seconds -> Duration.ofNanos((long) (seconds * 1e9)))
                .or(() -> httpDate(value, clock.instant())));
    }

    private static Optional<Double> decimal(String text) {
        try {
            double value = Double.parseDouble(text.strip());
            return value >= 0 && Double.isFinite(value) ? Optional.of(value) : Optional.empty();
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static Optional<Duration> httpDate(String text, Instant now) {
        try {
            Instant at = ZonedDateTime.parse(text.strip(), DateTimeFormatter.RFC_1123_DATE_TIME)
                    .toInstant();
            Duration wait = Duration.between(now, at);
            return Optional.of(wait.isNegative() ? Duration.ZERO : wait);
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
