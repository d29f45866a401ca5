package io.lightcone.core;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.members;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaAccess;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaCodeUnit;
import com.tngtech.archunit.core.domain.JavaConstructor;
import com.tngtech.archunit.core.domain.JavaField;
import com.tngtech.archunit.core.domain.JavaMember;
import com.tngtech.archunit.core.domain.JavaMethod;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Core's internals are package-private unless another package's main code needs them (STYLE rule
 * 2): a public type or member of {@code io.lightcone.core.internal..} that only its own package
 * uses fails {@link CoreArchitectureTest}. Tests are no reason: a test that needs an internal type
 * belongs in that type's package; the few members kept public for a test elsewhere are in {@link
 * #FOR_TESTS}, each with its reason.
 *
 * <pre>{@code
 * @ArchTest static final ArchRule types = InternalVisibility.publicTypes();
 * }</pre>
 */
final class InternalVisibility {
  static final String INTERNAL = "io.lightcone.core.internal..";

  /**
   * Public members that only tests in another package use, by {@link JavaMember#getFullName()}: the
   * test drives a public feature end to end and needs one internal step, so it cannot move into the
   * member's package.
   */
  static final Map<String, String> FOR_TESTS =
      Map.of(
          "io.lightcone.core.internal.manifest.SigningKey.fromSeed([B)",
          "SignedManifestTest (io.lightcone.core) signs with a fixed key to test Project.verify",
          "io.lightcone.core.internal.manifest.SigningKey.publicKey()",
          "SignedManifestTest (io.lightcone.core) trusts the key it signed with",
          "io.lightcone.core.internal.manifest.ManifestStore.write(java.nio.file.Path,"
              + " io.lightcone.Manifest, java.util.Optional)",
          "SignedManifestTest (io.lightcone.core) forges signed manifests for Project.verify",
          "io.lightcone.core.internal.status.InputMemo.open(java.nio.file.Path, java.time.Clock)",
          "container's ImageIdentityTest builds Images over a memo with a later clock",
          "io.lightcone.core.internal.status.InputMemo.none()",
          "container's ImageIdentityTest builds Images without a memo",
          "io.lightcone.core.internal.cache.CacheStore.key(java.lang.String, java.lang.String,"
              + " java.util.Map)",
          "CacheTest and CacheWriterMain (io.lightcone.core) fill one cache from several JVMs",
          "io.lightcone.core.internal.hash.DataVersion.of(java.nio.file.Path, int)",
          "the oracle of CacheTest (io.lightcone.core) and status's InputMemo tests");

  private InternalVisibility() {}

  /**
   * Every entry of {@link #FOR_TESTS} still names a public member that no other package's main code
   * uses (else the entry is stale: drop it, or the member's {@code public}).
   */
  static void checkForTests(JavaClasses classes) {
    Map<String, JavaMember> byName = new HashMap<>();
    classes.stream()
        .flatMap(c -> c.getMembers().stream())
        .forEach(m -> byName.put(m.getFullName(), m));
    List<String> stale = new ArrayList<>();
    FOR_TESTS.keySet().stream()
        .sorted()
        .forEach(
            name -> {
              JavaMember m = byName.get(name);
              if (m == null || !m.getModifiers().contains(JavaModifier.PUBLIC)) {
                stale.add(name + ": no such public member");
              } else if (usedFromAnotherPackage(m)) {
                stale.add(name + ": another package's main code uses it; not only tests");
              }
            });
    if (!stale.isEmpty()) {
      throw new AssertionError("stale FOR_TESTS entries:\n" + String.join("\n", stale));
    }
  }

  private static boolean usedFromAnotherPackage(JavaMember member) {
    String pkg = member.getOwner().getPackageName();
    return member.getAccessesToSelf().stream()
        .map(JavaAccess::getOriginOwner)
        .anyMatch(o -> !o.getPackageName().equals(pkg));
  }

  /** A public internal type (or a public type nested in it) is used from another package. */
  static ArchRule publicTypes() {
    return classes()
        .that()
        .resideInAPackage(INTERNAL)
        .and(EFFECTIVELY_PUBLIC)
        .and()
        .areNotAnnotatedWith("org.immutables.value.Generated")
        .should(USED_FROM_ANOTHER_PACKAGE)
        .allowEmptyShould(true)
        .because("internals are package-private unless another package needs them (STYLE rule 2)");
  }

  /**
   * A public method, constructor or field of a public internal class is used from another package,
   * but what the language makes public or cannot tell: interface members, overrides, a record's
   * canonical constructor and accessors, enum constants, and compile-time constants (javac copies
   * their value into the reader, so no class file shows the use).
   */
  static ArchRule publicMembers() {
    return members()
        .that(CHECKED_MEMBER)
        .should(ACCESSED_FROM_ANOTHER_PACKAGE)
        .allowEmptyShould(true)
        .because("internals are package-private unless another package needs them (STYLE rule 2)");
  }

  private static boolean effectivelyPublic(JavaClass c) {
    for (JavaClass x = c; x != null; x = x.getEnclosingClass().orElse(null)) {
      if (!x.getModifiers().contains(JavaModifier.PUBLIC)) {
        return false;
      }
    }
    return true;
  }

  static final DescribedPredicate<JavaClass> EFFECTIVELY_PUBLIC =
      DescribedPredicate.describe(
          "are public (and so is every class around them)", InternalVisibility::effectivelyPublic);

  /** The class itself or a class nested in it, for which the class must be public. */
  private static boolean withinType(JavaClass target, JavaClass type) {
    return target.getName().equals(type.getName())
        || target.getName().startsWith(type.getName() + "$");
  }

  static final ArchCondition<JavaClass> USED_FROM_ANOTHER_PACKAGE =
      new ArchCondition<>("be used from another package") {
        private final Map<JavaClass, List<JavaClass>> nested = new HashMap<>();

        @Override
        public void init(Collection<JavaClass> types) {
          for (JavaClass t : types) {
            nested.put(
                t, types.stream().filter(n -> withinType(n, t)).collect(Collectors.toList()));
          }
        }

        @Override
        public void check(JavaClass type, ConditionEvents events) {
          String pkg = type.getPackageName();
          List<JavaClass> within = nested.getOrDefault(type, List.of(type));
          boolean named =
              within.stream()
                  .flatMap(n -> n.getDirectDependenciesToSelf().stream())
                  .map(Dependency::getOriginClass)
                  .anyMatch(o -> !o.getPackageName().equals(pkg));
          // A switch over a sealed type or a lambda needs the type public without naming it in
          // the class file: so does any member another package uses that has it in its signature.
          boolean inUsedSignature =
              within.stream()
                  .flatMap(
                      n ->
                          Stream.of(
                                  n.getMethodsWithReturnTypeOfSelf(),
                                  n.getMethodsWithParameterTypeOfSelf(),
                                  n.getConstructorsWithParameterTypeOfSelf(),
                                  n.getFieldsWithTypeOfSelf())
                              .flatMap(Set::stream))
                  .flatMap(m -> m.getAccessesToSelf().stream())
                  .anyMatch(a -> !a.getOriginOwner().getPackageName().equals(pkg));
          boolean used = named || inUsedSignature;
          if (!used) {
            events.add(
                SimpleConditionEvent.violated(
                    type,
                    type.getName()
                        + " is public but only "
                        + type.getPackageName()
                        + " uses it: make it package-private"));
          }
        }
      };

  private static boolean overrides(JavaMethod m) {
    if (m.getModifiers().contains(JavaModifier.STATIC)) {
      return false;
    }
    JavaClass owner = m.getOwner();
    return Stream.concat(
            owner.getAllRawSuperclasses().stream(), owner.getAllRawInterfaces().stream())
        .flatMap(s -> s.getMethods().stream())
        .anyMatch(
            s ->
                s.getName().equals(m.getName())
                    && s.getRawParameterTypes().equals(m.getRawParameterTypes()));
  }

  private static List<JavaClass> componentTypes(JavaClass record) {
    return record.getFields().stream()
        .filter(f -> !f.getModifiers().contains(JavaModifier.STATIC))
        .map(JavaField::getRawType)
        .sorted((a, b) -> a.getName().compareTo(b.getName()))
        .collect(Collectors.toList());
  }

  /** Whether the language, not the author, decides that {@code m} is public. */
  private static boolean publicByLanguage(JavaMember m) {
    JavaClass owner = m.getOwner();
    Set<JavaModifier> mods = m.getModifiers();
    if (owner.isInterface() || owner.isAnnotation() || mods.contains(JavaModifier.SYNTHETIC)) {
      return true;
    }
    if (m instanceof JavaField f) {
      boolean constant =
          mods.contains(JavaModifier.STATIC)
              && mods.contains(JavaModifier.FINAL)
              && (f.getRawType().isPrimitive() || f.getRawType().isEquivalentTo(String.class));
      return constant || (owner.isEnum() && f.getRawType().equals(owner));
    }
    if (m instanceof JavaMethod method) {
      if (overrides(method)) {
        return true;
      }
      if (owner.isEnum()
          && (method.getName().equals("values") || method.getName().equals("valueOf"))) {
        return true;
      }
      return owner.isRecord()
          && method.getRawParameterTypes().isEmpty()
          && owner.tryGetField(method.getName()).isPresent();
    }
    if (m instanceof JavaConstructor c && owner.isRecord()) {
      List<JavaClass> params = new ArrayList<>(c.getRawParameterTypes());
      params.sort((a, b) -> a.getName().compareTo(b.getName()));
      return params.equals(componentTypes(owner));
    }
    return false;
  }

  static final DescribedPredicate<JavaMember> CHECKED_MEMBER =
      DescribedPredicate.describe(
          "are public members of public classes in "
              + INTERNAL
              + " (but those the language"
              + " makes public, and "
              + InternalVisibility.class.getSimpleName()
              + ".FOR_TESTS)",
          m ->
              m.getModifiers().contains(JavaModifier.PUBLIC)
                  && m.getOwner().getPackageName().startsWith("io.lightcone.core.internal")
                  && effectivelyPublic(m.getOwner())
                  && !publicByLanguage(m)
                  && !FOR_TESTS.containsKey(m.getFullName()));

  static final ArchCondition<JavaMember> ACCESSED_FROM_ANOTHER_PACKAGE =
      new ArchCondition<>("be used from another package") {
        @Override
        public void check(JavaMember member, ConditionEvents events) {
          String pkg = member.getOwner().getPackageName();
          if (!usedFromAnotherPackage(member)) {
            String what = member instanceof JavaCodeUnit ? "method" : "field";
            events.add(
                SimpleConditionEvent.violated(
                    member,
                    member.getFullName()
                        + " is public but only "
                        + pkg
                        + " uses this "
                        + what
                        + ": make it package-private"));
          }
        }
      };
}
