package dev.keyline.app.provider;

import static dev.keyline.domain.testing.TestDeployments.deployment;
import static dev.keyline.domain.testing.TestDeployments.withEndpoint;
import static dev.keyline.domain.testing.TestDeployments.withProvider;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keyline.domain.deployment.Deployment;
import dev.keyline.domain.deployment.Endpoint;
import dev.keyline.ports.out.ProviderClient;
import dev.keyline.ports.out.ProviderRequest;
import dev.keyline.ports.out.Upstream;
import dev.keyline.ports.testing.ScriptedProvider;
import dev.keyline.ports.testing.TestMessages;
import java.time.InstantSource;
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
    void theStandardDispatch_hasAnAdapterForEverySupportedProvider_andRefusesOthers() {
        for (String provider : ProviderDispatch.SUPPORTED_PROVIDERS) {
            Deployment d = withProvider(a, provider);
            ProviderDispatch.standard(List.of(d), new ObjectMapper(), InstantSource.system(), UnaryOperator.identity())
                    .of(d);
        }
        IllegalArgumentException refused = assertThrows(
                IllegalArgumentException.class,
                () -> ProviderDispatch.standard(
                        List.of(withProvider(a, "toy")),
                        new ObjectMapper(),
                        InstantSource.system(),
                        UnaryOperator.identity()));
        assertTrue(refused.getMessage().contains("toy"));
    }

    /** docs/extending.md, step 2: a dispatcher that knows the toy provider binds its deployments to the adapter. */
    @Test
    void aToyDeployment_isBoundToTheToyAdapter() {
        ProviderClient toy = new ToyProviderClient();
        Deployment toyDeployment = withProvider(a, "toy");
        ProviderDispatch dispatch = new ProviderDispatch(List.of(toyDeployment), provider -> switch (provider) {
            case "toy" -> toy;
            default -> throw new IllegalArgumentException("no adapter for provider '" + provider + "'");
        });

        assertSame(toyDeployment, dispatch.of(toyDeployment).deployment());
        assertTrue(dispatch.of(toyDeployment)
                .toString()
                .contains(toyDeployment.id().value()));
    }
}
