package dev.keyline.app.architecture;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** The module rules of the design, checked on the real classes; each rule is shown to catch a planted violation. */
class ArchitectureTest {

    private static final String ROOT = "dev.keyline";
    private static final String FIXTURE_ROOT = "archfixture.keyline";

    private static final List<Function<String, ArchRule>> RULES = List.of(
            KeylineRules::domainUsesOnlyTheJdk,
            KeylineRules::noFrameworkInTheCore,
            KeylineRules::theCoreDoesNotKnowAdapters,
            KeylineRules::portsDoNotKnowTheApplication,
            KeylineRules::portsHoldNoImplementation,
            KeylineRules::adaptersDoNotUseTheApplication,
            KeylineRules::onlyTheDispatcherCallsProviderAdapters,
            KeylineRules::searchAdaptersDoNotUseProviderAdapters,
            KeylineRules::providerAdaptersDoNotUseSearchAdapters,
            KeylineRules::nothingDependsOnTheApp,
            KeylineRules::onlyTheAppReadsTheEnvironment,
            KeylineRules::libraryCodeDoesNotPrint,
            KeylineRules::noPackageCycles,
            KeylineRules::frontDoorsAndProvidersDoNotKnowEachOther,
            KeylineRules::noAmbientCloudIdentity);

    private static JavaClasses keyline;
    private static JavaClasses fixtures;

    @BeforeAll
    static void importClasses() {
        // Test code (test-classes and the modules' test-jars of fakes and fixtures) is not held to the rules.
        keyline = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .withImportOption(location -> !location.contains("-tests.jar"))
                .importPackages(ROOT);
        fixtures = new ClassFileImporter().importPackages(FIXTURE_ROOT);
    }

    @Test
    void everyModulesClasses_wereImported() {
        assertImported(".domain.", 20);
        assertImported(".ports.", 10);
        assertImported(".application.", 10);
        assertImported(".adapters.state.", 1);
        assertImported(".adapters.wire.", 10);
        assertImported(".adapters.providers.", 10);
        assertImported(".adapters.frontdoors.", 10);
        assertImported(".app.", 5);
    }

    @TestFactory
    Stream<DynamicTest> keylineFollowsEveryRule() {
        return RULES.stream()
                .map(rule -> rule.apply(ROOT))
                .map(rule -> DynamicTest.dynamicTest(rule.getDescription(), () -> rule.check(keyline)));
    }

    @TestFactory
    Stream<DynamicTest> everyRuleCatchesItsPlantedViolation() {
        return RULES.stream()
                .map(rule -> rule.apply(FIXTURE_ROOT))
                .map(rule -> DynamicTest.dynamicTest(rule.getDescription(), () -> {
                    EvaluationResult result = rule.evaluate(fixtures);
                    assertTrue(result.hasViolation(), "no violation found for: " + rule.getDescription());
                }));
    }

    private static void assertImported(String packagePart, int atLeast) {
        long count = keyline.stream()
                .filter(c -> c.getPackageName().concat(".").contains(packagePart))
                .count();
        assertTrue(count >= atLeast, "only " + count + " classes imported from " + ROOT + packagePart);
    }
}
