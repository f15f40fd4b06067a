package dev.keyline.ports.testing;

import dev.keyline.domain.deployment.Deployment;
import dev.keyline.domain.failure.ProviderFailure;
import dev.keyline.domain.message.MessageResponse;
import dev.keyline.ports.out.ProviderClient;
import dev.keyline.ports.out.ProviderReply;
import dev.keyline.ports.out.ProviderRequest;
import dev.keyline.ports.out.ProviderStream;
import dev.keyline.ports.out.UpstreamHeaders;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/** A model whose n-th answer (across deployments) a test scripts; every call is journaled whole. */
public final class ScriptedModel implements ProviderClient {

    /** One journaled call. */
    public record Call(Deployment deployment, ProviderRequest request) {}

    private final Function<Integer, Object> script;
    private final List<Call> calls = Collections.synchronizedList(new ArrayList<>());

    /** @param script from the call number (1-based) to a {@link MessageResponse} or a {@link ProviderFailure} */
    public ScriptedModel(Function<Integer, Object> script) {
        this.script = script;
    }

    public List<Call> calls() {
        synchronized (calls) {
            return List.copyOf(calls);
        }
    }

    @Override
    public ProviderReply send(Deployment deployment, ProviderRequest request) {
        calls.add(new Call(deployment, request));
        Object next = script.apply(calls.size());
        return switch (next) {
            case MessageResponse response -> new ProviderReply.Completed(response, UpstreamHeaders.none());
            case ProviderFailure failure -> new ProviderReply.Failed(failure);
            default -> throw new IllegalArgumentException("scripts answer or fail, not " + next);
        };
    }

    @Override
    public ProviderStream stream(Deployment deployment, ProviderRequest request) {
        calls.add(new Call(deployment, request));
        return new ProviderStream.Failed(new ProviderFailure.MalformedReply(200, "streams are not scripted"));
    }

    public Optional<Call> last() {
        List<Call> all = calls();
        return all.isEmpty() ? Optional.empty() : Optional.of(all.getLast());
    }
}
