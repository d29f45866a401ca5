package io.lightcone.core;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import io.lightcone.HouseRules;

/**
 * Core's walls (STYLE.md): only core touches core internals, no exit, no ambient configuration
 * outside {@code io.lightcone.core.internal.Environment}, and no cycle between core's packages.
 */
@AnalyzeClasses(
    packages = "io.lightcone.core",
    importOptions = ImportOption.DoNotIncludeTests.class)
class CoreArchitectureTest {
  /** The one class allowed to read environment variables and system properties. */
  static final String ENVIRONMENT = "io.lightcone.core.internal.Environment";

  @ArchTest static final ArchRule house = HouseRules.all(ENVIRONMENT);

  /**
   * Core's packages ({@code io.lightcone.core}, {@code .internal}, {@code .internal.plan}, ...)
   * depend on each other in one direction only, so that each can be read, tested and changed
   * without the ones above it.
   */
  @ArchTest
  static final ArchRule noPackageCycles =
      slices().matching("io.lightcone.core.internal.(*)..").should().beFreeOfCycles();

  /**
   * zstd-jni is reached only through {@code internal.Compression}, which loads its native library
   * from a private directory instead of the shared {@code java.io.tmpdir}.
   */
  @ArchTest
  static final ArchRule zstdThroughCompression =
      noClasses()
          .that()
          .doNotHaveFullyQualifiedName("io.lightcone.core.internal.Compression")
          .should()
          .dependOnClassesThat()
          .resideInAPackage("com.github.luben..");

  /**
   * A public type in core's internals is used by another package; a test is no reason (move the
   * test into the type's package).
   */
  @ArchTest
  static final ArchRule internalTypesPublicOnlyForOtherPackages = InternalVisibility.publicTypes();

  /** Likewise for the public methods, constructors and fields of those types. */
  @ArchTest
  static final ArchRule internalMembersPublicOnlyForOtherPackages =
      InternalVisibility.publicMembers();

  /** The members kept public for a test elsewhere are still public and still only for tests. */
  @ArchTest
  static void internalMembersKeptPublicForTestsAreListed(JavaClasses classes) {
    InternalVisibility.checkForTests(classes);
  }
}
