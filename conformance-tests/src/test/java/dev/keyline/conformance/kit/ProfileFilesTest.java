package dev.keyline.conformance.kit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keyline.app.config.ConfigLoader;
import dev.keyline.app.config.GatewayConfig;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The built-in profiles are files a user can read and copy; a broken profile says in one line what is wrong. */
class ProfileFilesTest {

    private static FakeUpstreams fakes;

    @BeforeAll
    static void pool() {
        fakes = new FakeUpstreams(7L, GatewayProfile.named("keyline"));
    }

    @AfterAll
    static void stop() {
        fakes.close();
    }

    @Test
    void everyBuiltInProfile_loads_andRendersItsConfiguration() {
        for (String name : ProfileFile.builtIn()) {
            GatewayProfile profile = GatewayProfile.named(name);
            assertEquals(name, profile.name());
            assertFalse(profile.config(fakes, 4321).isBlank(), name);
            assertFalse(profile.command(Path.of("/r"), "java", Path.of("/h")).isBlank(), name);
        }
    }

    @Test
    void keylinesProfile_writesAConfigurationKeylineAccepts_withEveryDeployment() {
        GatewayConfig config = new ConfigLoader(fakes.environment())
                .parse(GatewayProfile.named("keyline").config(fakes, 0), "the keyline profile");

        assertEquals(fakes.deployments.size(), config.deployments().size());
    }

    @Test
    void portkeysRoutingHeader_isOneLineOfJson_namingTheGroupsDeploymentsInOrder() throws Exception {
        String header = GatewayProfile.named("portkey")
                .routingHeaders(fakes, FakeUpstreams.SHARED)
                .get("x-portkey-config");

        assertFalse(header.contains("\n"));
        JsonNode config = new ObjectMapper().readTree(header);
        List<FakeDeployment> group = fakes.group(FakeUpstreams.SHARED);
        assertEquals(group.size(), config.path("targets").size());
        for (int i = 0; i < group.size(); i++) {
            assertEquals(
                    group.get(i).apiBase() + "/v1",
                    config.path("targets").get(i).path("custom_host").asText());
        }
    }

    @Test
    void claudeCodeRoutersProfile_namesADeploymentAsProviderCommaModel() {
        assertEquals(
                "solo-1,model-of-solo-1",
                GatewayProfile.named("claude-code-router").model(fakes, FakeUpstreams.SOLO));
    }

    @Test
    void aMisspelledCapability_isRefused_namingTheKnownOnes() {
        IllegalArgumentException refused = assertThrows(
                IllegalArgumentException.class,
                () -> ProfileFile.parse(
                        "name: x\ncapabilities: [anthropic-upstream]\nconfig: {template: x}\n", "x.yaml"));

        assertTrue(
                refused.getMessage().startsWith("profile x.yaml: unknown capability 'anthropic-upstream'"),
                refused.getMessage());
        assertTrue(refused.getMessage().contains("anthropic-upstreams"), refused.getMessage());
    }

    @Test
    void aTemplateThatDoesNotParse_isRefused_namingWhere() {
        IllegalArgumentException refused = assertThrows(
                IllegalArgumentException.class,
                () -> ProfileFile.parse(
                        "name: x\ncapabilities: [anthropic-upstreams]\nconfig: {template: '{{#each deployments}}'}\n",
                        "x.yaml"));

        assertTrue(
                refused.getMessage().startsWith("profile x.yaml: config.template: template does not parse"),
                refused.getMessage());
    }

    @Test
    void anUnknownKey_isRefused() {
        IllegalArgumentException refused = assertThrows(
                IllegalArgumentException.class,
                () -> ProfileFile.parse(
                        "name: x\ncapabilities: [anthropic-upstreams]\nconfig: {template: x}\nstrat: {}\n", "x.yaml"));

        assertTrue(refused.getMessage().contains("unknown key 'strat'"), refused.getMessage());
    }
}
