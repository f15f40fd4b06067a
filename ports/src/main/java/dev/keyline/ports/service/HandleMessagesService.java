package dev.keyline.ports.service;

import dev.keyline.domain.deployment.Deployment;
import dev.keyline.domain.deployment.ModelGroup;
import dev.keyline.domain.deployment.ModelGroups;
import dev.keyline.ports.in.GatewayError;
import dev.keyline.ports.in.HandleMessagesUseCase;
import dev.keyline.ports.in.MessagesCommand;
import dev.keyline.ports.in.MessagesResult;
import dev.keyline.ports.in.MessagesStreamResult;
import dev.keyline.ports.out.ProviderClient;
import dev.keyline.ports.out.ProviderReply;
import dev.keyline.ports.out.ProviderRequest;
import dev.keyline.ports.out.ProviderStream;
import java.util.Comparator;
import java.util.Objects;
import java.util.Optional;

/**
 * Relays a Messages request to a deployment of the named group. The deployment is chosen once and the provider
 * call receives it whole; the client receives that deployment's answer, or its own error, unaltered.
 */
public final class HandleMessagesService implements HandleMessagesUseCase {

    // Lowest `order` first, then configuration order; the router replaces this single choice with selection,
    // retries and fallbacks.
    private static final Comparator<Deployment> PREFERENCE =
            Comparator.comparingInt(d -> d.routing().order().orElse(Integer.MAX_VALUE));

    private final ModelGroups groups;
    private final ProviderClient provider;

    public HandleMessagesService(ModelGroups groups, ProviderClient provider) {
        this.groups = Objects.requireNonNull(groups, "'groups' must not be null");
        this.provider = Objects.requireNonNull(provider, "'provider' must not be null");
    }

    @Override
    public MessagesResult handle(MessagesCommand command) {
        Optional<Deployment> chosen = choose(command);
        if (chosen.isEmpty()) {
            return new MessagesResult.Refused(new GatewayError.UnknownModel(command.request().model()));
        }
        Deployment deployment = chosen.get();
        return switch (provider.send(deployment, new ProviderRequest(command.request(), command.headers()))) {
            case ProviderReply.Completed done -> new MessagesResult.Answered(done.response(), deployment.id(), done.headers());
            case ProviderReply.Failed failed ->
                    new MessagesResult.Refused(new GatewayError.UpstreamFailed(deployment.id(), failed.failure()));
        };
    }

    @Override
    public MessagesStreamResult stream(MessagesCommand command) {
        Optional<Deployment> chosen = choose(command);
        if (chosen.isEmpty()) {
            return new MessagesStreamResult.Refused(new GatewayError.UnknownModel(command.request().model()));
        }
        Deployment deployment = chosen.get();
        return switch (provider.stream(deployment, new ProviderRequest(command.request(), command.headers()))) {
            case ProviderStream.Opened opened ->
                    new MessagesStreamResult.Streaming(opened.events(), deployment.id(), opened.headers());
            case ProviderStream.Failed failed ->
                    new MessagesStreamResult.Refused(new GatewayError.UpstreamFailed(deployment.id(), failed.failure()));
        };
    }

    private Optional<Deployment> choose(MessagesCommand command) {
        return groups.find(command.request().model())
                .map(ModelGroup::deployments)
                .flatMap(deployments -> deployments.stream().min(PREFERENCE));
    }
}
