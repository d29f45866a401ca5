package io.lightcone;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The API's walls (STYLE.md): JDK only at run time, no internals of other modules, no exit, no
 * ambient configuration.
 */
@AnalyzeClasses(packages = "io.lightcone", importOptions = ImportOption.DoNotIncludeTests.class)
class ApiArchitectureTest {
  /** The one class allowed to read environment variables and system properties. */
  static final String ENVIRONMENT = "io.lightcone.core.internal.Environment";

  @ArchTest static final ArchRule house = HouseRules.all(ENVIRONMENT);

  @ArchTest
  static final ArchRule jdkOnlyAtRunTime =
      classes()
          .that()
          .resideInAPackage("io.lightcone..")
          .should()
          .onlyDependOnClassesThat()
          .resideInAnyPackage("java..", "io.lightcone..", "org.immutables.value..")
          .because("lightcone-api is the vocabulary every tool embeds; Immutables is compile-only");
}
