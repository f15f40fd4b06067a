package dev.keyline.application.routing;

import dev.keyline.domain.routing.FailureClass;
import dev.keyline.ports.out.Telemetry;
import dev.keyline.ports.out.Upstream;
import java.util.function.Function;

/**
 * One call made, its outcome told to telemetry, and the end of its in-flight count: run at once when the call
 * failed, handed on with a success (a stream counts until it is read to its end).
 *
 * @param attempt the call's outcome
 * @param release ends the call's in-flight count (already run when the attempt failed)
 */
record CountedCall<T>(Attempt<T> attempt, Runnable release) {

    static <T> CountedCall<T> make(
            Telemetry telemetry, Upstream upstream, Runnable release, Function<Upstream, Attempt<T>> call) {
        Attempt<T> attempt;
        try {
            attempt = call.apply(upstream);
        } catch (RuntimeException e) {
            release.run();
            throw e;
        }
        switch (attempt) {
            case Attempt.Succeeded<T> succeeded -> telemetry.attempt(upstream.deployment(), "ok");
            case Attempt.Failed<T> failed -> {
                release.run();
                telemetry.attempt(
                        upstream.deployment(), FailureClass.of(failed.failure()).label());
            }
        }
        return new CountedCall<>(attempt, release);
    }
}
