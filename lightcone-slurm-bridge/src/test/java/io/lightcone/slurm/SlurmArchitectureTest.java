package io.lightcone.slurm;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import io.lightcone.HouseRules;

/**
 * The SLURM bridge's walls: nothing outside it touches its internals, nothing exits the JVM, and
 * only {@code SlurmEnvironment} reads the environment.
 */
@AnalyzeClasses(
    packages = "io.lightcone.slurm",
    importOptions = ImportOption.DoNotIncludeTests.class)
class SlurmArchitectureTest {
  static final String ENVIRONMENT = "io.lightcone.slurm.internal.SlurmEnvironment";

  @ArchTest static final ArchRule house = HouseRules.all(ENVIRONMENT);
}
