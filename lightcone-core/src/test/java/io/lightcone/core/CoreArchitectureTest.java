package io.lightcone.core;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import io.lightcone.HouseRules;

/**
 * Core's walls (STYLE.md): only core touches core internals, no exit, and no ambient configuration
 * outside {@code io.lightcone.core.internal.Environment}.
 */
@AnalyzeClasses(
    packages = "io.lightcone.core",
    importOptions = ImportOption.DoNotIncludeTests.class)
class CoreArchitectureTest {
  /** The one class allowed to read environment variables and system properties. */
  static final String ENVIRONMENT = "io.lightcone.core.internal.Environment";

  @ArchTest static final ArchRule house = HouseRules.all(ENVIRONMENT);
}
