package dev.keyline.conformance.kit;

import java.util.List;

/**
 * Reads the value that follows an option on the kit's command lines ({@code --cases 20}). A missing or malformed
 * value is refused with a {@link Refused} whose message a user can act on; the tools print it as one line and exit
 * 2, never with a stack trace.
 */
public final class OptionValues {

    private OptionValues() {}

    /** An option without a usable value. */
    public static final class Refused extends RuntimeException {
        public Refused(String message) {
            super(message, null, false, false);
        }
    }

    /** @return the value after {@code args[at]} */
    public static String value(List<String> args, int at) {
        if (at + 1 >= args.size()) {
            throw new Refused(args.get(at) + " needs a value");
        }
        return args.get(at + 1);
    }

    /** @return the whole number after {@code args[at]} */
    public static long wholeNumber(List<String> args, int at) {
        String value = value(args, at);
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new Refused(args.get(at) + " needs a whole number, got '" + value + "'");
        }
    }

    /** @return the number after {@code args[at]} */
    public static double number(List<String> args, int at) {
        String value = value(args, at);
        try {
            return Double.parseDouble(value);
        } catch (NumberFormatException e) {
            throw new Refused(args.get(at) + " needs a number, got '" + value + "'");
        }
    }
}
