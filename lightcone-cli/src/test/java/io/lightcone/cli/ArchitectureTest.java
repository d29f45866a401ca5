package io.lightcone.cli;

import static com.tngtech.archunit.core.domain.AccessTarget.Predicates.declaredIn;
import static com.tngtech.archunit.core.domain.JavaCall.Predicates.target;
import static com.tngtech.archunit.core.domain.properties.HasName.Predicates.nameMatching;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.GeneralCodingRules.ACCESS_STANDARD_STREAMS;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import io.lightcone.HouseRules;

/**
 * The CLI's walls (STYLE.md): it uses only public API, it is the only module that may end the JVM
 * (and only from {@link Main}), and it reads no environment or system property itself.
 */
@AnalyzeClasses(packages = "io.lightcone.cli", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {
  /** Core's one class allowed to read environment variables and system properties. */
  static final String ENVIRONMENT = "io.lightcone.core.internal.Environment";

  /** The CLI's: whether there is a terminal, its width, Ctrl-C. */
  static final String CLI_ENVIRONMENT = "io.lightcone.cli.CliEnvironment";

  @ArchTest static final ArchRule house = HouseRules.all(ENVIRONMENT, CLI_ENVIRONMENT);

  @ArchTest
  static final ArchRule cliUsesOnlyPublicApi =
      noClasses()
          .that()
          .resideInAPackage("io.lightcone.cli..")
          .should()
          .dependOnClassesThat()
          .resideInAPackage("..internal..")
          .because("the CLI parses, calls the public API and renders; nothing else");

  @ArchTest
  static final ArchRule shutdownHooksOnlyThroughInterrupts =
      noClasses()
          .that()
          .doNotHaveFullyQualifiedName(Interrupts.class.getName())
          .should()
          .callMethodWhere(
              target(declaredIn(Runtime.class))
                  .and(target(nameMatching("addShutdownHook|removeShutdownHook"))))
          .because("a command hears Ctrl-C through the injected Interrupts, so tests can fire it");

  @ArchTest
  static final ArchRule outputGoesThroughPicocli =
      noClasses()
          .should(ACCESS_STANDARD_STREAMS)
          .because("commands write to spec.commandLine().getOut()/getErr() so tests can read it");
}
