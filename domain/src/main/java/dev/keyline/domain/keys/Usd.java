package dev.keyline.domain.keys;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * An amount of US dollars in billionths, so that per-token prices ({@code 0.000003}) add exactly and counters can be
 * plain integers (in memory and in Redis).
 *
 * @param nanos billionths of a dollar; zero or more
 */
public record Usd(long nanos) implements Comparable<Usd> {

    private static final BigDecimal NANOS_PER_DOLLAR = BigDecimal.valueOf(1_000_000_000L);

    public static final Usd ZERO = new Usd(0);

    public Usd {
        if (nanos < 0) {
            throw new IllegalArgumentException("an amount must not be negative");
        }
    }

    /**
     * @param dollars e.g. {@code 0.01} or {@code 3e-6}; zero or more, at most nine decimals that matter
     * @throws IllegalArgumentException if negative or not a number
     */
    public static Usd of(BigDecimal dollars) {
        if (dollars.signum() < 0) {
            throw new IllegalArgumentException("an amount must not be negative, was " + dollars.toPlainString());
        }
        return new Usd(dollars.multiply(NANOS_PER_DOLLAR)
                .setScale(0, RoundingMode.HALF_UP)
                .longValueExact());
    }

    /** @see #of(BigDecimal) */
    public static Usd of(String dollars) {
        try {
            return of(new BigDecimal(dollars.strip()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not an amount of dollars: " + dollars, e);
        }
    }

    public Usd plus(Usd other) {
        return new Usd(Math.addExact(nanos, other.nanos));
    }

    /** @return this price taken {@code count} times */
    public Usd times(long count) {
        return new Usd(Math.multiplyExact(nanos, count));
    }

    public BigDecimal dollars() {
        return BigDecimal.valueOf(nanos).divide(NANOS_PER_DOLLAR).stripTrailingZeros();
    }

    /** @return the amount as JSON and the API show it, e.g. {@code 0.0123} */
    public double asDouble() {
        return nanos / 1e9;
    }

    @Override
    public int compareTo(Usd other) {
        return Long.compare(nanos, other.nanos);
    }

    /** @return e.g. {@code $0.0123} */
    @Override
    public String toString() {
        BigDecimal dollars = dollars();
        return "$" + (dollars.scale() < 2 ? dollars.setScale(2) : dollars).toPlainString();
    }
}
