package dev.keyline.ports.testing;

import dev.keyline.domain.deployment.Deployment;
import dev.keyline.domain.deployment.DeploymentId;
import dev.keyline.domain.failure.ProviderFailure;
import dev.keyline.domain.message.StreamEvent;
import dev.keyline.ports.out.EventStream;
import dev.keyline.ports.out.ProviderClient;
import dev.keyline.ports.out.ProviderReply;
import dev.keyline.ports.out.ProviderRequest;
import dev.keyline.ports.out.ProviderStream;
import dev.keyline.ports.out.StreamStep;
import dev.keyline.ports.out.UpstreamHeaders;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * A provider whose deployments answer as a test scripts them: each deployment fails with a given failure or
 * answers. Every call is journaled with the whole deployment it was given.
 */
public final class ScriptedProvider implements ProviderClient {

    private final Map<DeploymentId, Function<Integer, Optional<ProviderFailure>>> scripts = new ConcurrentHashMap<>();
    private final Map<DeploymentId, Integer> callCounts = new ConcurrentHashMap<>();
    private final List<Deployment> calls = Collections.synchronizedList(new ArrayList<>());

    /** Makes every call to {@code deployment} fail with {@code failure}. */
    public ScriptedProvider failing(String deployment, ProviderFailure failure) {
        return scripted(deployment, call -> Optional.of(failure));
    }

    /** @param script from the deployment's call number (1-based) to its failure, or empty to answer */
    public ScriptedProvider scripted(String deployment, Function<Integer, Optional<ProviderFailure>> script) {
        scripts.put(new DeploymentId(deployment), script);
        return this;
    }

    public List<Deployment> calls() {
        synchronized (calls) {
            return List.copyOf(calls);
        }
    }

    public List<String> calledIds() {
        return calls().stream().map(d -> d.id().value()).toList();
    }

    @Override
    public ProviderReply send(Deployment deployment, ProviderRequest request) {
        return outcome(deployment)
                .<ProviderReply>map(ProviderReply.Failed::new)
                .orElseGet(() -> new ProviderReply.Completed(
                        TestMessages.answer("from " + deployment.id()), UpstreamHeaders.none()));
    }

    @Override
    public ProviderStream stream(Deployment deployment, ProviderRequest request) {
        return outcome(deployment)
                .<ProviderStream>map(ProviderStream.Failed::new)
                .orElseGet(() -> new ProviderStream.Opened(new OneEventStream(), UpstreamHeaders.none()));
    }

    private Optional<ProviderFailure> outcome(Deployment deployment) {
        calls.add(deployment);
        int call = callCounts.merge(deployment.id(), 1, Integer::sum);
        return scripts.getOrDefault(deployment.id(), n -> Optional.empty()).apply(call);
    }

    /** A stream of one {@code message_stop}. */
    private static final class OneEventStream implements EventStream {
        private boolean sent;

        @Override
        public StreamStep next() {
            if (sent) {
                return new StreamStep.End();
            }
            sent = true;
            return new StreamStep.Event(new StreamEvent("message_stop", "{\"type\":\"message_stop\"}"));
        }

        @Override
        public void close() {}
    }
}
