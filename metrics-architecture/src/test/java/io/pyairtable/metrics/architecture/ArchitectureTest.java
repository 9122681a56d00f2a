package io.pyairtable.metrics.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * The project's imports point one way, checked over every module's production classes
 * ({@link ProjectClasses}): no package cycle, no class cycle (no two classes importing each other,
 * directly or in a loop), no package importing from a package above it, the modules layered
 * (core at the bottom; http, integrations, monitoring on core; the Spring starter on those),
 * the HTTP stack layered (chain, then adapters, then installers and the facades), the neutral
 * HTTP artifact free of Javalin, Jetty and Kotlin, and an {@code internal} package used only by
 * its own module. There is no list of tolerated exceptions: every rule holds for every class.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(120)
class ArchitectureTest {

  static final String ROOT = "io.pyairtable.metrics";

  private JavaClasses classes;

  @BeforeAll
  void importClasses() {
    classes = ProjectClasses.importAll();
  }

  @Test
  void everyModuleIsRead() {
    classes().that().resideInAnyPackage(ROOT + ".http.chain..", ROOT + ".http.javalin..", ROOT + ".catalog..",
            ROOT + ".monitoring..", ROOT + ".spring..", ROOT + ".integrations..", ROOT + ".examples..")
        .should().bePublic().orShould().notBePublic()
        .allowEmptyShould(false)
        .check(classes);
    if (classes.stream().noneMatch(c -> c.getPackageName().equals(ROOT + ".http.javalin"))
        || classes.stream().noneMatch(c -> c.getPackageName().equals(ROOT + ".spring"))) {
      throw new AssertionError("the Javalin and Spring modules' classes were not read");
    }
  }

  @Test
  void noPackageCycles() {
    slices().assignedFrom(BY_PACKAGE).should().beFreeOfCycles().check(classes);
  }

  @Test
  void noTwoClassesImportEachOtherDirectlyOrInALoop() {
    slices().assignedFrom(BY_TOP_LEVEL_CLASS).should().beFreeOfCycles().check(classes);
  }

  @Test
  void noPackageImportsFromAPackageAboveIt() {
    classes().that().resideInAPackage(ROOT + "..").should(notDependOnAnAncestorPackage()).check(classes);
  }

  @Test
  void modulesAreLayeredCoreAtTheBottom() {
    layeredArchitecture().consideringOnlyDependenciesInAnyPackage(ROOT + "..")
        .withOptionalLayers(true)
        .layer("Core").definedBy(ROOT, ROOT + ".catalog..", ROOT + ".internal..")
        .layer("Http").definedBy(ROOT + ".http..")
        .layer("Integrations").definedBy(ROOT + ".integrations..")
        .layer("Monitoring").definedBy(ROOT + ".monitoring..")
        .layer("Spring").definedBy(ROOT + ".spring..")
        .whereLayer("Core").mayNotAccessAnyLayer()
        .whereLayer("Http").mayOnlyAccessLayers("Core")
        .whereLayer("Integrations").mayOnlyAccessLayers("Core")
        .whereLayer("Monitoring").mayOnlyAccessLayers("Core")
        .whereLayer("Spring").mayOnlyAccessLayers("Core", "Http", "Integrations")
        .check(classes);
  }

  @Test
  void theHttpStackIsLayeredChainAdaptersInstallersFacades() {
    String http = ROOT + ".http";
    layeredArchitecture().consideringOnlyDependenciesInAnyPackage(http + "..")
        .layer("Facade").definedBy(http)
        .layer("Turnkey").definedBy(http + ".service..")
        .layer("Javalin").definedBy(http + ".javalin..")
        .layer("Middleware").definedBy(http + ".middleware..")
        .layer("Jdk").definedBy(http + ".jdk..")
        .layer("Servlet").definedBy(http + ".servlet..")
        .layer("Jetty").definedBy(http + ".jetty..")
        .layer("Status").definedBy(http + ".status..")
        .layer("Chain").definedBy(http + ".chain..")
        .whereLayer("Chain").mayNotAccessAnyLayer()
        .whereLayer("Status").mayNotAccessAnyLayer()
        .whereLayer("Jdk").mayOnlyAccessLayers("Chain")
        .whereLayer("Servlet").mayOnlyAccessLayers("Chain")
        .whereLayer("Jetty").mayOnlyAccessLayers("Chain")
        .whereLayer("Middleware").mayOnlyAccessLayers("Chain", "Jdk")
        .whereLayer("Javalin").mayOnlyAccessLayers("Chain", "Servlet", "Jetty", "Middleware")
        .whereLayer("Turnkey").mayOnlyAccessLayers("Chain", "Javalin", "Jetty", "Middleware", "Status")
        .whereLayer("Facade").mayOnlyAccessLayers("Chain", "Jdk", "Servlet", "Middleware")
        .whereLayer("Facade").mayNotBeAccessedByAnyLayer()
        .check(classes);
  }

  @Test
  void theNeutralHttpArtifactUsesNeitherJavalinNorJettyNorKotlin() {
    String http = ROOT + ".http";
    noClasses().that().resideInAnyPackage(http, http + ".chain..", http + ".jdk..", http + ".servlet..",
            http + ".middleware..", http + ".status..")
        .should().dependOnClassesThat().resideInAnyPackage("io.javalin..", "org.eclipse.jetty..", "kotlin..")
        .check(classes);
  }

  @Test
  void anInternalPackageIsUsedOnlyByItsOwnModule() {
    classes().that().resideInAPackage(ROOT + "..").should(useOnlyTheirOwnModulesInternals()).check(classes);
  }

  // --- how classes are grouped --------------------------------------------------------------------

  /** Each package of the project is a slice. */
  static final SliceAssignment BY_PACKAGE = new SliceAssignment() {
    @Override
    public SliceIdentifier getIdentifierOf(JavaClass c) {
      return c.getPackageName().startsWith(ROOT) ? SliceIdentifier.of(c.getPackageName()) : SliceIdentifier.ignore();
    }

    @Override
    public String getDescription() {
      return "packages of " + ROOT;
    }
  };

  /** Each top-level class (with its nested and anonymous classes) is a slice. */
  static final SliceAssignment BY_TOP_LEVEL_CLASS = new SliceAssignment() {
    @Override
    public SliceIdentifier getIdentifierOf(JavaClass c) {
      return c.getPackageName().startsWith(ROOT) ? SliceIdentifier.of(topLevel(c.getName())) : SliceIdentifier.ignore();
    }

    @Override
    public String getDescription() {
      return "top-level classes of " + ROOT;
    }
  };

  static String topLevel(String className) {
    int nested = className.indexOf('$');
    return nested < 0 ? className : className.substring(0, nested);
  }

  /**
   * The module a package belongs to: the longest module namespace it is in; metrics-core owns the
   * root package and the rest.
   */
  static String module(String packageName) {
    String owner = ROOT;
    for (String namespace : List.of(ROOT + ".http", ROOT + ".integrations", ROOT + ".monitoring",
        ROOT + ".examples", ROOT + ".spring", ROOT + ".cli", ROOT + ".benchmarks")) {
      if ((packageName.equals(namespace) || packageName.startsWith(namespace + ".")) && namespace.length() > owner.length()) {
        owner = namespace;
      }
    }
    return owner;
  }

  private static ArchCondition<JavaClass> notDependOnAnAncestorPackage() {
    return new ArchCondition<>("not depend on a class of a package above their own (the library root "
        + ROOT + ", metrics-core's API, is the bottom layer, not above)") {
      @Override
      public void check(JavaClass c, ConditionEvents events) {
        String own = c.getPackageName();
        for (Dependency d : c.getDirectDependenciesFromSelf()) {
          String target = d.getTargetClass().getPackageName();
          if (!target.equals(ROOT) && own.startsWith(target + ".")) {
            events.add(SimpleConditionEvent.violated(d, d.getDescription()));
          }
        }
      }
    };
  }

  private static ArchCondition<JavaClass> useOnlyTheirOwnModulesInternals() {
    return new ArchCondition<>("use an internal package only from their own module") {
      @Override
      public void check(JavaClass c, ConditionEvents events) {
        for (Dependency d : c.getDirectDependenciesFromSelf()) {
          String target = d.getTargetClass().getPackageName();
          boolean internal = target.endsWith(".internal") || target.contains(".internal.");
          if (internal && target.startsWith(ROOT) && !module(target).equals(module(c.getPackageName()))) {
            events.add(SimpleConditionEvent.violated(d, d.getDescription()));
          }
        }
      }
    };
  }
}
