package dev.keyline.domain.routing;

import static dev.keyline.domain.routing.RoutingTestData.deployment;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import dev.keyline.domain.deployment.Deployment;
import dev.keyline.domain.deployment.DeploymentId;
import dev.keyline.domain.deployment.RoutingHints;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DeploymentSelectorTest {

    private final Random random = new Random(11);

    @Test
    void aCoolingDeployment_isNeverPicked_whateverTheGroupShape() {
        qt().forAll(
                        lists().of(integers().between(1, 3)).ofSizeBetween(1, 8),
                        lists().of(integers().between(0, 7)).ofSizeBetween(0, 8),
                        integers().between(0, 1))
                .checkAssert((orders, coolingIndexes, strategy) -> {
                    List<Deployment> group = new ArrayList<>();
                    for (int i = 0; i < orders.size(); i++) {
                        group.add(deployment(
                                "d" + i,
                                RoutingHints.defaults().withOrder(orders.get(i)).withWeight(1 + i % 3)));
                    }
                    Set<DeploymentId> cooling = new HashSet<>();
                    coolingIndexes.stream()
                            .filter(i -> i < group.size())
                            .forEach(i -> cooling.add(group.get(i).id()));

                    Optional<Deployment> pick = DeploymentSelector.select(
                            RoutingStrategy.values()[strategy], group, cooling::contains, Set.of(), id -> 0, random);

                    assertEquals(cooling.size() == group.size(), pick.isEmpty());
                    pick.ifPresent(d -> assertFalse(cooling.contains(d.id())));
                });
    }

    @Test
    void theLowestOrder_servesWhileAnyOfItIsSelectable() {
        Deployment first = deployment("first", RoutingHints.defaults().withOrder(1));
        Deployment second = deployment("second", RoutingHints.defaults().withOrder(2));
        List<Deployment> group = List.of(second, first);

        assertEquals(first, pick(group, Set.of(), Set.of()));
        assertEquals(second, pick(group, Set.of(first.id()), Set.of()));
        assertEquals(second, pick(group, Set.of(), Set.of(first.id())), "untried deployments come first");
        assertEquals(first, pick(group, Set.of(second.id()), Set.of(first.id())), "a tried one may serve again");
    }

    @Test
    void leastBusy_picksTheFewestInFlight() {
        Deployment busy = deployment("busy");
        Deployment idle = deployment("idle");
        Map<DeploymentId, Integer> inFlight = Map.of(busy.id(), 3, idle.id(), 1);

        for (int i = 0; i < 50; i++) {
            assertEquals(
                    idle,
                    DeploymentSelector.select(
                                    RoutingStrategy.LEAST_BUSY,
                                    List.of(busy, idle),
                                    id -> false,
                                    Set.of(),
                                    id -> inFlight.getOrDefault(id, 0),
                                    random)
                            .orElseThrow());
        }
    }

    @Test
    void hasUntried_ignoresCoolingAndTriedDeployments() {
        Deployment a = deployment("a");
        Deployment b = deployment("b");

        assertTrue(DeploymentSelector.hasUntried(List.of(a, b), id -> false, Set.of(a.id())));
        assertFalse(DeploymentSelector.hasUntried(List.of(a, b), b.id()::equals, Set.of(a.id())));
    }

    private Deployment pick(List<Deployment> group, Set<DeploymentId> cooling, Set<DeploymentId> tried) {
        return DeploymentSelector.select(
                        RoutingStrategy.SIMPLE_SHUFFLE, group, cooling::contains, tried, id -> 0, random)
                .orElseThrow();
    }
}
