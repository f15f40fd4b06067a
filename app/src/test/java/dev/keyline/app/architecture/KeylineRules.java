package dev.keyline.app.architecture;

import static com.tngtech.archunit.core.domain.JavaCall.Predicates.target;
import static com.tngtech.archunit.core.domain.properties.HasOwner.Predicates.With.owner;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaCall;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.properties.HasName;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.conditions.ArchConditions;
import dev.keyline.ports.out.ProviderClient;

/**
 * Keyline's dependency rules, written against a root package so they can be run on the real code and on the
 * planted violations in {@code archfixture.keyline}.
 */
final class KeylineRules {

    private KeylineRules() {}

    static ArchRule domainUsesOnlyTheJdk(String root) {
        return noClasses()
                .that()
                .resideInAPackage(root + ".domain..")
                .should()
                .dependOnClassesThat()
                .resideOutsideOfPackages(root + ".domain..", "java..")
                .as("the domain depends on the JDK only");
    }

    static ArchRule noFrameworkInTheCore(String root) {
        return noClasses()
                .that()
                .resideInAnyPackage(root + ".domain..", root + ".ports..", root + ".application..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("io.helidon..", "com.fasterxml.jackson..", "com.github.benmanes.caffeine..")
                .as("no Helidon, Jackson or Caffeine type in domain, ports or application");
    }

    static ArchRule theCoreDoesNotKnowAdapters(String root) {
        return noClasses()
                .that()
                .resideInAnyPackage(root + ".domain..", root + ".ports..", root + ".application..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage(root + ".adapters.providers..")
                .as("domain, ports and application do not know the adapters");
    }

    static ArchRule portsDoNotKnowTheApplication(String root) {
        return noClasses()
                .that()
                .resideInAnyPackage(root + ".domain..", root + ".ports..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage(root + ".application..")
                .as("domain and ports do not know the application services");
    }

    /**
     * Ports are contracts: interfaces, the values they exchange and the failures they declare (exceptions), no
     * behaviour to hide a service in.
     */
    static ArchRule portsHoldNoImplementation(String root) {
        return classes()
                .that()
                .resideInAPackage(root + ".ports..")
                .and()
                .doNotHaveSimpleName("package-info")
                .should(ArchConditions.be(DescribedPredicate.describe(
                        "an interface, a record, an enum or an exception",
                        (JavaClass c) -> c.isInterface()
                                || c.isRecord()
                                || c.isEnum()
                                || c.isAssignableTo(RuntimeException.class))))
                .as("ports hold interfaces, records, enums and exceptions only");
    }

    static ArchRule adaptersDoNotUseTheApplication(String root) {
        return noClasses()
                .that()
                .resideInAPackage(root + ".adapters.providers..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage(root + ".application..")
                .as("adapters drive and implement ports, never the application services");
    }

    /**
     * The credential invariant in the types: the application calls an {@code Upstream}, which can reach only its
     * own deployment; only the adapters and the dispatcher that binds them may call a {@link ProviderClient}, which
     * takes any deployment.
     */
    static ArchRule onlyTheDispatcherCallsProviderAdapters(String root) {
        return noClasses()
                .that()
                .resideInAPackage(root + "..")
                .and()
                .resideOutsideOfPackages(root + ".adapters.providers..")
                .should()
                .callMethodWhere(target(owner(JavaClass.Predicates.assignableTo(ProviderClient.class))))
                .as("only the provider adapters and their dispatcher call a ProviderClient");
    }

    static ArchRule searchAdaptersDoNotUseProviderAdapters(String root) {
        return noClasses()
                .that()
                .resideInAPackage(root + ".adapters.search..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(root + ".adapters.providers..", root + ".adapters.frontdoors..")
                .as("search adapters do not use the provider adapters or the front doors");
    }

    static ArchRule providerAdaptersDoNotUseSearchAdapters(String root) {
        return noClasses()
                .that()
                .resideInAnyPackage(root + ".adapters.providers..", root + ".adapters.wire..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage(root + ".adapters.search..")
                .as("provider adapters and the wire format do not use the search adapters");
    }

    static ArchRule nothingDependsOnTheApp(String root) {
        return noClasses()
                .that()
                .resideOutsideOfPackage(root + ".app..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage(root + ".app..")
                .as("nothing depends on the composition root");
    }

    /** Only the composition root may read the environment: no code path can pick up ANTHROPIC_API_KEY by itself. */
    static ArchRule onlyTheAppReadsTheEnvironment(String root) {
        return noClasses()
                .that()
                .resideOutsideOfPackage(root + ".app..")
                .should()
                .callMethod(System.class, "getenv", String.class)
                .orShould()
                .callMethod(System.class, "getenv")
                .as("only the composition root reads environment variables");
    }

    static ArchRule libraryCodeDoesNotPrint(String root) {
        return noClasses()
                .that()
                .resideOutsideOfPackage(root + ".app..")
                .should()
                .accessField(System.class, "out")
                .orShould()
                .accessField(System.class, "err")
                .as("library code logs through System.Logger, never System.out or System.err");
    }

    /**
     * Every package, in every module, is free of cycles: a package can then be understood, moved or split on its
     * own, and a module's packages stack in layers (the front doors' router on top, {@code server} beneath).
     */
    static ArchRule noPackageCycles(String root) {
        return slices().matching(root + ".(**)").should().beFreeOfCycles().as("no package cycles, in any module");
    }

    /** The two directions stay apart: the front doors drive the use cases, the providers are driven by them. */
    static ArchRule frontDoorsAndProvidersDoNotKnowEachOther(String root) {
        return noClasses()
                .that()
                .resideInAPackage(root + ".adapters.frontdoors..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(root + ".adapters.providers..", root + ".adapters.search..")
                .as("the front doors do not use the provider or search adapters");
    }

    /**
     * Cloud credentials come from each deployment's own settings only: no code reaches for the host's identity
     * through a cloud SDK's default chain, profiles, metadata services or application-default credentials.
     */
    static ArchRule noAmbientCloudIdentity(String root) {
        return noClasses()
                .that()
                .resideInAPackage(root + "..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "software.amazon.awssdk.auth.credentials..",
                        "software.amazon.awssdk.profiles..",
                        "software.amazon.awssdk.regions.providers..",
                        "software.amazon.awssdk.imds..",
                        "software.amazon.awssdk.services.sts.auth..")
                .orShould()
                .dependOnClassesThat()
                .haveFullyQualifiedName("com.google.auth.oauth2.ComputeEngineCredentials")
                .orShould()
                .callMethodWhere(JavaCall.Predicates.target(HasName.Predicates.name("getApplicationDefault")))
                .as("no cloud SDK default chain, profile, metadata service or application-default credentials");
    }
}
