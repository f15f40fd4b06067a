package dev.keyline.application.messages;

import dev.keyline.application.routing.Attempt;
import dev.keyline.application.routing.FollowUp;
import dev.keyline.application.routing.Router;
import dev.keyline.domain.failure.ProviderFailure;
import dev.keyline.domain.message.MessageResponse;
import dev.keyline.domain.message.ProtocolHeaders;
import dev.keyline.domain.websearch.LoopStep;
import dev.keyline.ports.in.RequestJournal;
import dev.keyline.ports.out.ProviderReply;
import dev.keyline.ports.out.ProviderRequest;
import dev.keyline.ports.out.Upstream;
import java.util.Objects;

/**
 * Drives a web-search loop answered as one JSON message, on the upstream that answered its first hop: runs each
 * round of searches in parallel, and sends every follow-up through that same upstream, with the same protocol
 * headers. Its streamed twin is {@link StreamingSearchLoop}.
 */
final class JsonSearchLoop {

    /** The end of a loop. */
    sealed interface Outcome {
        record Done(MessageResponse response) implements Outcome {}

        /** A follow-up failed; the client gets that upstream's error, never the first hop's half answer. */
        record Failed(ProviderFailure failure) implements Outcome {}
    }

    private final Router router;
    private final Searches searches;

    JsonSearchLoop(Router router, Searches searches) {
        this.router = Objects.requireNonNull(router, "'router' must not be null");
        this.searches = Objects.requireNonNull(searches, "'searches' must not be null");
    }

    /**
     * @param bound   the upstream every hop goes to
     * @param headers the client's protocol headers, sent with every hop
     * @param journal the request's journal, for each hop and search
     * @param step    the loop's step after its first answer
     * @return the answer, or the failure of a follow-up
     */
    Outcome finish(Upstream bound, ProtocolHeaders headers, RequestJournal journal, LoopStep step) {
        LoopStep current = step;
        while (true) {
            switch (current) {
                case LoopStep.Finish finish -> {
                    return new Outcome.Done(finish.response());
                }
                case LoopStep.Search search ->
                    current = search.loop().onSearched(searches.runAll(search.searches(), journal));
                case LoopStep.CallModel call -> {
                    ProviderRequest request = new ProviderRequest(call.request(), headers);
                    FollowUp<ProviderReply.Completed> reply =
                            router.followUp(bound, journal, upstream -> Attempt.of(upstream.send(request)));
                    switch (reply) {
                        case FollowUp.Served<ProviderReply.Completed> served -> {
                            served.release().run();
                            current = call.loop().onAnswer(served.value().response());
                        }
                        case FollowUp.Failed<ProviderReply.Completed> failed -> {
                            return new Outcome.Failed(failed.failure());
                        }
                    }
                }
            }
        }
    }
}
