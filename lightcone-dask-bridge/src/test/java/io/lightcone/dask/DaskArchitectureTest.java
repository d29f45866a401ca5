package io.lightcone.dask;

import static com.tngtech.archunit.core.domain.AccessTarget.Predicates.declaredIn;
import static com.tngtech.archunit.core.domain.JavaCall.Predicates.target;
import static com.tngtech.archunit.core.domain.properties.HasName.Predicates.nameMatching;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The Dask bridge's walls (STYLE.md): nothing outside it touches its internals, nothing exits the
 * JVM, and only {@code DaskEnvironment} reads the environment.
 */
@AnalyzeClasses(
    packages = "io.lightcone.dask",
    importOptions = ImportOption.DoNotIncludeTests.class)
class DaskArchitectureTest {
  /** The one class allowed to read environment variables and system properties. */
  static final String ENVIRONMENT = "io.lightcone.dask.internal.DaskEnvironment";

  @ArchTest static final ArchRule coreInternals = internalsOf("io.lightcone.core");
  @ArchTest static final ArchRule snakemakeInternals = internalsOf("io.lightcone.snakemake");
  @ArchTest static final ArchRule daskInternals = internalsOf("io.lightcone.dask");
  @ArchTest static final ArchRule cliInternals = internalsOf("io.lightcone.cli");

  @ArchTest
  static final ArchRule onlyMainExits =
      noClasses()
          .that()
          .doNotHaveFullyQualifiedName("io.lightcone.cli.Main")
          .should()
          .callMethod(System.class, "exit", int.class)
          .orShould()
          .callMethod(Runtime.class, "exit", int.class)
          .orShould()
          .callMethod(Runtime.class, "halt", int.class)
          .allowEmptyShould(true)
          .because("a library call must never end the caller's JVM");

  @ArchTest
  static final ArchRule noAmbientConfiguration =
      noClasses()
          .that()
          .doNotHaveFullyQualifiedName(ENVIRONMENT)
          .should()
          .callMethodWhere(
              target(declaredIn(System.class))
                  .and(target(nameMatching("getenv|getProperty|getProperties"))))
          .orShould()
          .callMethodWhere(
              target(
                      declaredIn(Integer.class)
                          .or(declaredIn(Long.class))
                          .or(declaredIn(Boolean.class)))
                  .and(target(nameMatching("getInteger|getLong|getBoolean"))))
          .allowEmptyShould(true)
          .because("environment and configuration are injected (STYLE rule 4)");

  private static ArchRule internalsOf(String module) {
    return noClasses()
        .that()
        .resideOutsideOfPackage(module + "..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage(module + ".internal..")
        .allowEmptyShould(true)
        .as("only " + module + ".. may depend on " + module + ".internal..");
  }
}
