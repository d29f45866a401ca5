package io.lightcone;

import static com.tngtech.archunit.core.domain.AccessTarget.Predicates.declaredIn;
import static com.tngtech.archunit.core.domain.JavaCall.Predicates.target;
import static com.tngtech.archunit.core.domain.properties.HasName.Predicates.nameMatching;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.CompositeArchRule;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The walls every module keeps (STYLE.md), as ArchUnit rules: each module's architecture test
 * declares them for its own classes (this class ships in lightcone-api's test jar).
 *
 * <pre>{@code
 * @ArchTest static final ArchRule house = HouseRules.all("io.lightcone.core.internal.Environment");
 * }</pre>
 */
public final class HouseRules {
  /** The modules whose {@code internal} packages only they may use. */
  public static final List<String> MODULES =
      List.of(
          "io.lightcone.core", "io.lightcone.snakemake", "io.lightcone.dask", "io.lightcone.cli");

  /** The one class that may end the JVM. */
  public static final String MAIN = "io.lightcone.cli.Main";

  private HouseRules() {}

  /**
   * Every house rule: the internals of each module, only {@link #MAIN} exits, and only {@code
   * environments} read the environment.
   */
  public static ArchRule all(String... environments) {
    List<ArchRule> rules = new ArrayList<>();
    MODULES.forEach(m -> rules.add(internalsOf(m)));
    rules.add(onlyMainExits());
    rules.add(noAmbientConfigurationOutside(environments));
    return CompositeArchRule.of(rules);
  }

  /** Only classes of {@code module} depend on {@code module.internal}. */
  public static ArchRule internalsOf(String module) {
    return noClasses()
        .that()
        .resideOutsideOfPackage(module + "..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage(module + ".internal..")
        .allowEmptyShould(true)
        .as("only " + module + ".. may depend on " + module + ".internal..");
  }

  /** No class but {@link #MAIN} ends the JVM. */
  public static ArchRule onlyMainExits() {
    return noClasses()
        .that()
        .doNotHaveFullyQualifiedName(MAIN)
        .should()
        .callMethod(System.class, "exit", int.class)
        .orShould()
        .callMethod(Runtime.class, "exit", int.class)
        .orShould()
        .callMethod(Runtime.class, "halt", int.class)
        .allowEmptyShould(true)
        .because("a library call or a command must never end the caller's JVM");
  }

  /**
   * No class but {@code environments} reads environment variables, system properties or the console
   * (STYLE rule 4: they are injected).
   */
  public static ArchRule noAmbientConfigurationOutside(String... environments) {
    Set<String> allowed = Set.of(environments);
    return noClasses()
        .that(
            DescribedPredicate.describe(
                "are not " + allowed, (JavaClass c) -> !allowed.contains(c.getFullName())))
        .should()
        .callMethodWhere(
            target(declaredIn(System.class))
                .and(target(nameMatching("getenv|getProperty|getProperties|console"))))
        .orShould()
        .callMethodWhere(
            target(
                    declaredIn(Integer.class)
                        .or(declaredIn(Long.class))
                        .or(declaredIn(Boolean.class)))
                .and(target(nameMatching("getInteger|getLong|getBoolean"))))
        .allowEmptyShould(true)
        .because("environment and configuration are injected (STYLE rule 4)");
  }
}
