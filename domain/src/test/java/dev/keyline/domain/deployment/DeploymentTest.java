package dev.keyline.domain.deployment;

import static dev.keyline.domain.testing.TestDeployments.deployment;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class DeploymentTest {

    @Test
    void toString_showsNeitherTheKeyNorExtraHeaderValues() {
        String text = deployment("kimi-a", "kimi").toString();

        assertFalse(text.contains("sk-key-of-kimi-a"));
        assertFalse(text.contains("t-1"));
        assertTrue(text.contains("x-tenant"));
    }

    @Test
    void anExtraHeaderThatWouldReplaceTheKey_isRefused() {
        Deployment base = deployment("a", "g");
        IllegalArgumentException error = assertThrows(
                IllegalArgumentException.class,
                () -> new Deployment(
                        base.id(),
                        base.group(),
                        base.provider(),
                        base.providerModel(),
                        base.endpoint(),
                        base.credentials(),
                        AuthScheme.BEARER,
                        new ExtraHeaders(Map.of("Authorization", "Bearer other")),
                        base.timeout(),
                        base.firstByteTimeout(),
                        base.routing()));

        assertTrue(error.getMessage().contains("authorization"));
        assertFalse(error.getMessage().contains("Bearer other"));
    }

    @Test
    void aKeylessDeployment_mayCarryItsOwnAuthHeader() {
        Deployment base = deployment("a", "g");

        Deployment keyless = new Deployment(
                base.id(),
                base.group(),
                base.provider(),
                base.providerModel(),
                base.endpoint(),
                Credentials.none(),
                AuthScheme.X_API_KEY,
                new ExtraHeaders(Map.of("x-api-key", "from-header")),
                base.timeout(),
                base.firstByteTimeout(),
                base.routing());

        assertTrue(keyless.extraHeaders().contains("x-api-key"));
    }

    @Test
    void theTimeoutMustBePositive() {
        Deployment base = deployment("a", "g");
        assertThrows(
                IllegalArgumentException.class,
                () -> new Deployment(
                        base.id(),
                        base.group(),
                        base.provider(),
                        base.providerModel(),
                        base.endpoint(),
                        base.credentials(),
                        base.authScheme(),
                        base.extraHeaders(),
                        Duration.ZERO,
                        Duration.ofSeconds(1),
                        base.routing()));
    }

    @Test
    void extraHeaders_areLowerCasedAndGuardTheTransportsOwn() {
        assertEquals(Map.of("x-tenant", "t"), new ExtraHeaders(Map.of("X-Tenant", "t")).values());
        assertThrows(IllegalArgumentException.class, () -> new ExtraHeaders(Map.of("Host", "evil")));
        assertThrows(IllegalArgumentException.class, () -> new ExtraHeaders(Map.of("Content-Length", "1")));
        assertThrows(IllegalArgumentException.class, () -> new ExtraHeaders(Map.of("x-a", "v\r\nx-b: 1")));
        assertThrows(IllegalArgumentException.class, () -> new ExtraHeaders(Map.of("bad name", "v")));
    }

    @Test
    void routingHints_mustBePositive() {
        assertThrows(
                IllegalArgumentException.class, () -> RoutingHints.defaults().withWeight(0));
        assertThrows(
                IllegalArgumentException.class, () -> RoutingHints.defaults().withOrder(0));
        assertThrows(
                IllegalArgumentException.class,
                () -> new RoutingHints(
                        1,
                        OptionalInt.empty(),
                        OptionalInt.empty(),
                        OptionalInt.empty(),
                        OptionalInt.empty(),
                        Optional.of(Duration.ofSeconds(-1))));
    }

    @Test
    void aModelGroup_holdsOnlyItsOwnDistinctDeployments() {
        assertThrows(
                IllegalArgumentException.class,
                () -> new ModelGroup(new ModelGroupName("g"), List.of(deployment("a", "other"))));
        assertThrows(
                IllegalArgumentException.class,
                () -> new ModelGroup(new ModelGroupName("g"), List.of(deployment("a", "g"), deployment("a", "g"))));
        assertThrows(IllegalArgumentException.class, () -> new ModelGroup(new ModelGroupName("g"), List.of()));
    }

    @Test
    void modelGroups_groupByNameInOrder_andFindByTheClientsModel() {
        ModelGroups groups =
                ModelGroups.of(List.of(deployment("a", "g1"), deployment("b", "g2"), deployment("c", "g1")));

        assertEquals(
                List.of("a", "c"),
                groups.find("g1").orElseThrow().deployments().stream()
                        .map(d -> d.id().value())
                        .toList());
        assertTrue(groups.find("missing").isEmpty());
        assertTrue(groups.find("").isEmpty());
        assertEquals(3, groups.deploymentCount());
    }

    @Test
    void modelGroups_refuseOneIdInTwoGroups() {
        assertThrows(
                IllegalArgumentException.class,
                () -> ModelGroups.of(List.of(deployment("a", "g1"), deployment("a", "g2"))));
    }
}
