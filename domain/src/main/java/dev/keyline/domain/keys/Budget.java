package dev.keyline.domain.keys;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * How much a key or a team may spend: a maximum, and optionally a period after which spending starts again from zero
 * ({@code budget_duration}). Periods are counted from the owner's creation, so every replica agrees on them without
 * a reset job.
 *
 * @param max    the most that may be spent in one period; none for no budget (spend is still counted)
 * @param period how long a period lasts; none for one period forever
 */
public record Budget(Optional<Usd> max, Optional<Duration> period) {

    public static final Budget NONE = new Budget(Optional.empty(), Optional.empty());

    public Budget {
        Objects.requireNonNull(max, "'max' must not be null");
        Objects.requireNonNull(period, "'period' must not be null");
        if (period.isPresent() && period.get().compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("budget_duration must be at least one second");
        }
    }

    /**
     * @param since when the owner was created
     * @param now   the time now
     * @return the period {@code now} falls in
     */
    public Window window(Instant since, Instant now) {
        if (period.isEmpty()) {
            return new Window(0, Optional.empty());
        }
        long seconds = period.get().toSeconds();
        long index = Math.max(0, Math.floorDiv(now.getEpochSecond() - since.getEpochSecond(), seconds));
        return new Window(index, Optional.of(since.plusSeconds((index + 1) * seconds)));
    }

    /**
     * One budget period.
     *
     * @param index    which period since creation, from 0; spend counters are kept per period
     * @param resetsAt when the next starts, if the budget resets
     */
    public record Window(long index, Optional<Instant> resetsAt) {
        public Window {
            Objects.requireNonNull(resetsAt, "'resetsAt' must not be null");
        }
    }
}
