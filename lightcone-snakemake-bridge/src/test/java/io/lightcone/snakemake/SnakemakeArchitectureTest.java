package io.lightcone.snakemake;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import io.lightcone.HouseRules;

/**
 * The Snakemake bridge's walls (STYLE.md): only the bridge touches its internals, no exit, and no
 * ambient configuration outside {@code io.lightcone.snakemake.internal.Environment}.
 */
@AnalyzeClasses(
    packages = "io.lightcone.snakemake",
    importOptions = ImportOption.DoNotIncludeTests.class)
class SnakemakeArchitectureTest {
  /** The bridge's one class allowed to read environment variables. */
  static final String ENVIRONMENT = "io.lightcone.snakemake.internal.Environment";

  @ArchTest static final ArchRule house = HouseRules.all(ENVIRONMENT);
}
