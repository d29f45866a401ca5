package io.lightcone.core.internal.project;

import static org.assertj.core.api.Assertions.assertThat;

import io.lightcone.Problem;
import io.lightcone.core.internal.project.ProjectGenerator.Generated;
import io.lightcone.core.internal.project.ProjectGenerator.GeneratedUniverse;
import io.lightcone.core.internal.project.UniverseOracle.Verdict;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The loader accepts a universe exactly when {@link UniverseOracle}, which applies the rules
 * directly on the generator's record of the project, does, and then resolves the same choices.
 * Projects are decision-heavy (sub-analyses, aliases, {@code when}, {@code requires}, {@code
 * incompatible_with}, excluded options, decisions without default); the universe selects some
 * decisions, sometimes under an alias, sometimes wrongly. A failure names its seed; {@link
 * #check(long, Path)} replays it.
 */
class UniverseConstraintPropertyTest {
  private static final long FIRST_SEED = 0xC0FFEE_0000L;
  private static final int EXAMPLES = 400;

  @Test
  void universe_generated_validIffOracleSaysSo(@TempDir Path tmp) {
    Map<String, Integer> outcomes = new TreeMap<>();
    for (int i = 0; i < EXAMPLES; i++) {
      long seed = FIRST_SEED + i;
      Path dir = tmp.resolve(Long.toString(seed));
      try {
        outcomes.merge(check(seed, dir), 1, Integer::sum);
      } catch (AssertionError | RuntimeException e) {
        throw new AssertionError(
            "seed " + seed + " (replay: check(" + seed + "L, dir)); files:\n" + dump(dir), e);
      }
    }
    int valid = outcomes.getOrDefault("valid", 0);
    // Both sides must be well represented, and every rule must have been the one to fail.
    assertThat(valid)
        .as("valid universes of %d: %s", EXAMPLES, outcomes)
        .isBetween(EXAMPLES / 3, EXAMPLES / 2);
    assertThat(outcomes.keySet())
        .as("outcomes %s", outcomes)
        .containsExactlyInAnyOrder(
            "valid",
            "unknown decision",
            "unknown option",
            "excluded option",
            "conflicting selections",
            "missing",
            "requires",
            "incompatible_with");
  }

  /** Writes the project and universe of {@code seed}, loads it, compares; returns the outcome. */
  static String check(long seed, Path dir) {
    Generated g = ProjectGenerator.generate(seed, ProjectGenerator.DECISIONS);
    GeneratedUniverse u = g.universes().get(0);
    Verdict verdict = UniverseOracle.judge(g.owners(), u.picks());
    AstraWriter.writeProject(dir, g.analysis(), List.of(u.universe()));

    LoadedProject loaded = ProjectLoader.load(dir);

    List<Problem> errors = loaded.report().errors();
    if (verdict.valid()) {
      assertThat(errors).as("errors of a universe the oracle accepts").isEmpty();
      assertThat(loaded.universes())
          .singleElement()
          .satisfies(
              r -> {
                assertThat(r.choices()).as("choices").isEqualTo(verdict.choices());
                assertThat(r.defaulted()).as("defaulted").isEqualTo(verdict.defaulted());
              });
      return "valid";
    }
    assertThat(errors).as("errors; the oracle says: " + verdict.why()).isNotEmpty();
    // Errors in the universe file only: the project itself is valid, the universe is not.
    assertThat(errors).allSatisfy(p -> assertThat(p.file()).startsWith("universes/"));
    return kind(verdict.why());
  }

  private static String kind(String why) {
    if (why.startsWith("no decision")) {
      return "unknown decision";
    } else if (why.contains(" has no option ")) {
      return "unknown option";
    } else if (why.endsWith(" is excluded")) {
      return "excluded option";
    } else if (why.contains(" selected as both ")) {
      return "conflicting selections";
    } else if (why.contains("neither selection nor default")) {
      return "missing";
    } else if (why.contains(" requires ")) {
      return "requires";
    } else if (why.contains(" is incompatible with ")) {
      return "incompatible_with";
    }
    throw new IllegalStateException("unclassified: " + why);
  }

  private static String dump(Path dir) {
    if (!Files.isDirectory(dir)) {
      return "(none)";
    }
    StringBuilder out = new StringBuilder();
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.filter(Files::isRegularFile).sorted().toList()) {
        out.append("--- ").append(dir.relativize(p)).append('\n').append(Files.readString(p));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }
}
