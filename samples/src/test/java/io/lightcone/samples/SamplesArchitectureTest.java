package io.lightcone.samples;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import io.lightcone.HouseRules;

/**
 * The samples' walls (STYLE.md): samples use only the public API, as users do. There is no sample
 * code yet, so every rule allows an empty match.
 */
@AnalyzeClasses(
    packages = "io.lightcone.samples",
    importOptions = ImportOption.DoNotIncludeTests.class)
class SamplesArchitectureTest {
  /** The one class allowed to read environment variables and system properties. */
  static final String ENVIRONMENT = "io.lightcone.core.internal.Environment";

  @ArchTest static final ArchRule house = HouseRules.all(ENVIRONMENT);

  @ArchTest
  static final ArchRule samplesUseOnlyPublicApi =
      noClasses()
          .should()
          .dependOnClassesThat()
          .resideInAPackage("..internal..")
          .allowEmptyShould(true)
          .because("samples show what users can do with the public API");
}
