package io.lightcone.dask;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import io.lightcone.HouseRules;

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

  @ArchTest static final ArchRule house = HouseRules.all(ENVIRONMENT);
}
