package dev.keyline.conformance.faults;

import java.util.Objects;

/**
 * How the client fared against one fault, graded as the public crash-test suites grade gateways.
 *
 * @param grade  the grade
 * @param detail what happened, for the scorecard
 */
record Verdict(Grade grade, String detail) {

    /** From best to worst. */
    enum Grade {
        /** The client got the answer an upstream could give, or the upstream's own error, promptly. */
        PASS,
        /** The client got a correct answer, but late or at a cost the fault did not require. */
        PARTIAL,
        /** The client got a clear error it can act on where an answer was possible: nothing broken, nothing lost. */
        SAFE,
        /** A broken or wrong answer, a hang, garbage in the stream, or a key in an answer. */
        FAIL
    }

    Verdict {
        Objects.requireNonNull(grade, "'grade' must not be null");
        Objects.requireNonNull(detail, "'detail' must not be null");
    }

    static Verdict pass(String detail) {
        return new Verdict(Grade.PASS, detail);
    }

    static Verdict partial(String detail) {
        return new Verdict(Grade.PARTIAL, detail);
    }

    static Verdict safe(String detail) {
        return new Verdict(Grade.SAFE, detail);
    }

    static Verdict fail(String detail) {
        return new Verdict(Grade.FAIL, detail);
    }
}
