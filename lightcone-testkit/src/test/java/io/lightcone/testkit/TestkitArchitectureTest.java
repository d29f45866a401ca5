package io.lightcone.testkit;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import io.lightcone.HouseRules;

/**
 * The test kit's walls: it uses only the public API of the modules it tests, never exits the JVM
 * and reads no environment.
 */
@AnalyzeClasses(
    packages = "io.lightcone.testkit",
    importOptions = ImportOption.DoNotIncludeTests.class)
class TestkitArchitectureTest {
  @ArchTest static final ArchRule house = HouseRules.all();
}
