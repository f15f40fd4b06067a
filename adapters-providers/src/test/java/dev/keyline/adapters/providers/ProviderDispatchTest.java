package dev.keyline.adapters.providers;

import static dev.keyline.domain.testing.TestDeployments.deployment;
import static dev.keyline.domain.testing.TestDeployments.withEndpoint;
import static dev.keyline.domain.testing.TestDeployments.withProvider;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keyline.adapters.providers.anthropic.AnthropicProtocol;
import dev.keyline.adapters.providers.openai.OpenAiProtocol;
import dev.keyline.adapters.providers.toy.ToyProtocol;
import dev.keyline.adapters.providers.toy.ToyProviderClient;
import dev.keyline.domain.deployment.Deployment;
import dev.keyline.domain.deployment.Endpoint;
import dev.keyline.ports.out.ProviderClient;
import dev.keyline.ports.out.ProviderRequest;
import dev.keyline.ports.out.Upstream;
import dev.keyline.ports.testing.ScriptedProvider;
import dev.keyline.ports.testing.TestMessages;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

class ProviderDispatchTest {

    private final Deployment a = deployment("a", "g");
    private final Deployment b = deployment("b", "g");

    @Test
    void eachUpstream_callsItsOwnDeployment_andNoOther() {
        ScriptedProvider adapter = new ScriptedProvider();
        ProviderDispatch dispatch = new ProviderDispatch(List.of(a, b), provider -> adapter);
        ProviderRequest request = new ProviderRequest(
                TestMessages.command("g", false).request(),
                TestMessages.command("g", false).headers());

        Upstream upstream = dispatch.of(b);
        upstream.send(request);
        upstream.stream(request);

        assertEquals(List.of(b, b), adapter.calls());
        assertSame(b, upstream.deployment());
    }

    @Test
    void anUpstream_isHadOnlyForADeploymentOfTheConfiguration() {
        ProviderDispatch dispatch = new ProviderDispatch(List.of(a), provider -> new ScriptedProvider());
        Deployment forged = withEndpoint(a, Endpoint.parse("https://elsewhere.example"));

        assertThrows(IllegalArgumentException.class, () -> dispatch.of(b));
        assertThrows(
                IllegalArgumentException.class,
                () -> dispatch.of(forged),
                "a deployment with a configured id but another api_base gets no upstream");
    }

    @Test
    void theStandardDispatch_hasAnAdapterForEveryRegisteredProvider_andRefusesOthers() {
        ProviderRegistry registry = ProviderRegistry.standard();
        for (String provider : registry.names()) {
            Deployment d = withProvider(a, provider);
            ProviderDispatch.standard(
                            List.of(d), registry, new ObjectMapper(), InstantSource.system(), UnaryOperator.identity())
                    .of(d);
        }
        IllegalArgumentException refused = assertThrows(
                IllegalArgumentException.class,
                () -> ProviderDispatch.standard(
                        List.of(withProvider(a, "toy")),
                        registry,
                        new ObjectMapper(),
                        InstantSource.system(),
                        UnaryOperator.identity()));
        assertTrue(refused.getMessage().contains("toy"));
    }

    @Test
    void deploymentsOfOneProtocol_shareOneAdapter_builtOnlyForProtocolsInUse() {
        List<ProviderClient> built = new ArrayList<>();
        Deployment deepseek = withProvider(a, "deepseek");
        Deployment groq = withProvider(b, "groq");
        ProviderDispatch dispatch = ProviderDispatch.standard(
                List.of(deepseek, groq),
                ProviderRegistry.standard(),
                new ObjectMapper(),
                InstantSource.system(),
                adapter -> {
                    built.add(adapter);
                    return adapter;
                });

        assertEquals(1, built.size(), "one OpenAI-compatible adapter, and no Anthropic one: " + built);
        assertTrue(built.get(0) instanceof dev.keyline.adapters.providers.openai.OpenAiProviderClient);
        assertSame(dispatch.of(deepseek).deployment(), deepseek);
    }

    @Test
    void twoProtocols_claimingOneProviderName_areRefused() {
        IllegalArgumentException refused = assertThrows(
                IllegalArgumentException.class,
                () -> new ProviderRegistry(List.of(new OpenAiProtocol(), new OpenAiProtocol())));
        assertTrue(refused.getMessage().contains("'openai'"), refused.getMessage());
    }

    /** docs/extending.md: a registry that lists the toy protocol binds toy deployments to the toy adapter. */
    @Test
    void aToyDeployment_isBoundToTheToyAdapter_byOneRegistryLine() {
        ProviderRegistry withToy =
                new ProviderRegistry(List.of(new AnthropicProtocol(), new OpenAiProtocol(), new ToyProtocol()));
        Deployment toyDeployment = withProvider(a, "toy");
        ProviderDispatch dispatch = ProviderDispatch.standard(
                List.of(toyDeployment), withToy, new ObjectMapper(), InstantSource.system(), UnaryOperator.identity());

        assertSame(toyDeployment, dispatch.of(toyDeployment).deployment());
        assertTrue(dispatch.of(toyDeployment)
                .toString()
                .contains(toyDeployment.id().value()));
        assertTrue(withToy.find("toy").orElseThrow().protocol().client(null, null, null) instanceof ToyProviderClient);
    }
}
