package io.gatepass.server.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * One direction through the server (docs/architecture.md): a package never uses one above it, and no two packages
 * use each other. Leaves (codecs, metrics, the domain) use no other package of ours.
 */
class PackageOrderTest {
    private static final String ROOT = "io.gatepass.server";
    private static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages(ROOT);
    }

    @Test
    void packagesWhenLayeredThenEachUsesOnlyThoseBelowIt() {
        layeredArchitecture().consideringOnlyDependenciesInLayers()
                .layer("Foundation").definedBy(ROOT + ".domain..", ROOT + ".codec..", ROOT + ".metrics..", ROOT + ".fetch..",
                        ROOT + ".limits..", ROOT + ".web..")
                .layer("Store").definedBy(ROOT + ".store..")
                .layer("Services").definedBy(ROOT + ".audit..", ROOT + ".keys..", ROOT + ".credentials..")
                .layer("Token").definedBy(ROOT + ".token..")
                .layer("Management").definedBy(ROOT + ".manage..")
                .layer("Endpoints").definedBy(ROOT + ".oauth..", ROOT + ".admin..", ROOT + ".registration..", ROOT + ".console..")
                .layer("Config").definedBy(ROOT + ".config..")
                .layer("Http").definedBy(ROOT + ".http..")
                .layer("Root").definedBy(ROOT)
                .whereLayer("Root").mayNotBeAccessedByAnyLayer()
                .whereLayer("Http").mayOnlyBeAccessedByLayers("Root")
                .whereLayer("Config").mayOnlyBeAccessedByLayers("Http", "Root")
                .whereLayer("Endpoints").mayOnlyBeAccessedByLayers("Http", "Root")
                .whereLayer("Management").mayOnlyBeAccessedByLayers("Endpoints", "Http", "Root")
                .whereLayer("Token").mayOnlyBeAccessedByLayers("Management", "Endpoints", "Http", "Root")
                .whereLayer("Services").mayOnlyBeAccessedByLayers("Token", "Management", "Endpoints", "Config", "Http", "Root")
                .whereLayer("Store").mayOnlyBeAccessedByLayers("Services", "Token", "Management", "Endpoints", "Http", "Root")
                .check(classes);
    }

    @Test
    void packagesWhenSlicedThenNoCycles() {
        slices().matching(ROOT + ".(*)..").should().beFreeOfCycles().check(classes);
    }

    @Test
    void leavesWhenCheckedThenUseNoOtherPackageOfOurs() {
        noClasses().that().resideInAnyPackage(ROOT + ".codec..", ROOT + ".metrics..", ROOT + ".domain..", ROOT + ".limits..",
                        ROOT + ".fetch..")
                .should().dependOnClassesThat().resideInAnyPackage(ROOT + ".store..", ROOT + ".audit..", ROOT + ".keys..",
                        ROOT + ".token..", ROOT + ".oauth..", ROOT + ".admin..", ROOT + ".manage..", ROOT + ".credentials..", ROOT + ".registration..", ROOT + ".config..", ROOT + ".http..",
                        ROOT + ".web..")
                .check(classes);
    }
}
