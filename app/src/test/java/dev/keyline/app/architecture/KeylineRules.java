package dev.keyline.app.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.lang.ArchRule;

/**
 * Keyline's dependency rules, written against a root package so they can be run on the real code and on the
 * planted violations in {@code archfixture.keyline}.
 */
final class KeylineRules {

    private KeylineRules() {
    }

    static ArchRule domainUsesOnlyTheJdk(String root) {
        return noClasses().that().resideInAPackage(root + ".domain..")
                .should().dependOnClassesThat().resideOutsideOfPackages(root + ".domain..", "java..")
                .as("the domain depends on the JDK only");
    }

    static ArchRule noFrameworkInDomainOrPorts(String root) {
        return noClasses().that().resideInAnyPackage(root + ".domain..", root + ".ports..")
                .should().dependOnClassesThat().resideInAnyPackage("io.helidon..", "com.fasterxml.jackson..")
                .as("no Helidon or Jackson type in domain or ports");
    }

    static ArchRule portsDoNotKnowAdapters(String root) {
        return noClasses().that().resideInAnyPackage(root + ".domain..", root + ".ports..")
                .should().dependOnClassesThat().resideInAPackage(root + ".adapters..")
                .as("domain and ports do not know the adapters");
    }

    static ArchRule searchAdaptersDoNotUseHttpAdapters(String root) {
        return noClasses().that().resideInAPackage(root + ".adapters.search..")
                .should().dependOnClassesThat().resideInAPackage(root + ".adapters.http..")
                .allowEmptyShould(true)
                .as("search adapters do not use the HTTP adapters");
    }

    static ArchRule httpAdaptersDoNotUseSearchAdapters(String root) {
        return noClasses().that().resideInAPackage(root + ".adapters.http..")
                .should().dependOnClassesThat().resideInAPackage(root + ".adapters.search..")
                .as("HTTP adapters do not use the search adapters");
    }

    static ArchRule nothingDependsOnTheApp(String root) {
        return noClasses().that().resideOutsideOfPackage(root + ".app..")
                .should().dependOnClassesThat().resideInAPackage(root + ".app..")
                .as("nothing depends on the composition root");
    }

    /** Only the composition root may read the environment: no code path can pick up ANTHROPIC_API_KEY by itself. */
    static ArchRule onlyTheAppReadsTheEnvironment(String root) {
        return noClasses().that().resideOutsideOfPackage(root + ".app..")
                .should().callMethod(System.class, "getenv", String.class)
                .orShould().callMethod(System.class, "getenv")
                .as("only the composition root reads environment variables");
    }

    static ArchRule libraryCodeDoesNotPrint(String root) {
        return noClasses().that().resideOutsideOfPackage(root + ".app..")
                .should().accessField(System.class, "out").orShould().accessField(System.class, "err")
                .as("library code logs through System.Logger, never System.out or System.err");
    }
}
