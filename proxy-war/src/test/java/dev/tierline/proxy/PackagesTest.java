package dev.tierline.proxy;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The web tier's packages by concept: configuration is a leaf, the web package only wires, and no two packages
 * depend on each other. Checked on the compiled classes, so an import no reader noticed still fails the build.
 */
class PackagesTest {

    private static final String ROOT = "dev.tierline.proxy";

    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages(ROOT);

    @Test
    void theConceptPackages_areTheOnesThereAre() {
        Set<String> packages = new TreeSet<>();
        CLASSES.forEach(type -> packages.add(type.getPackageName().substring(ROOT.length() + 1)));
        assertEquals(new TreeSet<>(Set.of("admin", "balance", "config", "forward", "health", "metrics", "route", "web")), packages);
    }

    @Test
    void noPackage_dependsOnOneThatDependsOnIt() {
        slices().matching(ROOT + ".(*)..").should().beFreeOfCycles().check(CLASSES);
    }

    @Test
    void configuration_importsNoOtherTierlinePackage() {
        noClasses().that().resideInAPackage(ROOT + ".config..")
                .should().dependOnClassesThat().resideInAnyPackage(ROOT + ".admin..", ROOT + ".balance..",
                        ROOT + ".forward..", ROOT + ".health..", ROOT + ".metrics..", ROOT + ".route..", ROOT + ".web..")
                .check(CLASSES);
    }

    @Test
    void theForwarder_knowsNothingOfRoutesBalancingOrHealth() {
        noClasses().that().resideInAPackage(ROOT + ".forward..")
                .should().dependOnClassesThat().resideInAnyPackage(ROOT + ".admin..", ROOT + ".balance..",
                        ROOT + ".health..", ROOT + ".metrics..", ROOT + ".route..", ROOT + ".web..")
                .check(CLASSES);
    }

    @Test
    void metrics_onlyCount_andKnowNothingOfHowBackendsAreChosenOrShown() {
        noClasses().that().resideInAPackage(ROOT + ".metrics..")
                .should().dependOnClassesThat().resideInAnyPackage(ROOT + ".admin..", ROOT + ".balance..",
                        ROOT + ".health..", ROOT + ".route..", ROOT + ".web..")
                .check(CLASSES);
    }

    @Test
    void nothing_dependsOnTheWebPackage_whichOnlyWires() {
        noClasses().that().resideOutsideOfPackage(ROOT + ".web..")
                .should().dependOnClassesThat().resideInAPackage(ROOT + ".web..")
                .check(CLASSES);
    }

}
