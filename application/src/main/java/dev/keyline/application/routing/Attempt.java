package dev.keyline.application.routing;

import dev.keyline.domain.failure.ProviderFailure;
import dev.keyline.ports.out.ProviderReply;
import dev.keyline.ports.out.ProviderStream;
import java.util.Objects;
import java.util.function.Function;

/** The outcome of one call to one deployment, as the {@link Router} sees it. */
public sealed interface Attempt<T> {

    record Succeeded<T>(T value) implements Attempt<T> {
        public Succeeded {
            Objects.requireNonNull(value, "'value' must not be null");
        }
    }

    record Failed<T>(ProviderFailure failure) implements Attempt<T> {
        public Failed {
            Objects.requireNonNull(failure, "'failure' must not be null");
        }
    }

    /** @return a whole answer as an attempt: the answer, or the upstream's failure */
    static Attempt<ProviderReply.Completed> of(ProviderReply reply) {
        return switch (reply) {
            case ProviderReply.Completed completed -> new Succeeded<>(completed);
            case ProviderReply.Failed failed -> new Failed<>(failed.failure());
        };
    }

    /** @return an opened stream as an attempt: the open stream, or the upstream's failure before any event */
    static Attempt<ProviderStream.Opened> of(ProviderStream stream) {
        return switch (stream) {
            case ProviderStream.Opened opened -> new Succeeded<>(opened);
            case ProviderStream.Failed failed -> new Failed<>(failed.failure());
        };
    }

    /** @return this attempt with its success turned into something else; a failure stays as it is */
    default <R> Attempt<R> map(Function<? super T, ? extends R> mapper) {
        return switch (this) {
            case Succeeded<T> succeeded -> new Succeeded<>(mapper.apply(succeeded.value()));
            case Failed<T> failed -> new Failed<>(failed.failure());
        };
    }
}
