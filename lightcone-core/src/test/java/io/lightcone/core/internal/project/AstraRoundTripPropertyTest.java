package io.lightcone.core.internal.project;

import static org.assertj.core.api.Assertions.assertThat;

import io.lightcone.core.internal.project.ProjectGenerator.Generated;
import io.lightcone.core.internal.project.ProjectGenerator.GeneratedUniverse;
import io.lightcone.core.internal.project.UniverseOracle.Verdict;
import io.lightcone.core.internal.yaml.YMap;
import io.lightcone.core.internal.yaml.YNode;
import io.lightcone.core.internal.yaml.YScalar;
import io.lightcone.core.internal.yaml.YSeq;
import io.lightcone.core.internal.yaml.YamlReader;
import io.lightcone.model.Analysis;
import io.lightcone.model.Decision;
import io.lightcone.model.Input;
import io.lightcone.model.Option;
import io.lightcone.model.Output;
import io.lightcone.model.ResolvedUniverse;
import io.lightcone.model.Universe;
import io.lightcone.model.UniverseId;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Random valid projects survive a write and a load unchanged: {@link AstraWriter} and {@link
 * ProjectLoader} agree on every field, and writing what was loaded gives the same bytes. Each
 * example is one seed of {@link ProjectGenerator}; a failure names its seed, and {@link
 * #roundTrip(long, Path)} with that seed replays it.
 */
class AstraRoundTripPropertyTest {
  private static final long FIRST_SEED = 0x5EED_2026L;
  private static final int EXAMPLES = 300;

  @Test
  void roundTrip_generatedProject_loadsEqual(@TempDir Path tmp) {
    Coverage seen = new Coverage();
    for (int i = 0; i < EXAMPLES; i++) {
      long seed = FIRST_SEED + i;
      Path dir = tmp.resolve(Long.toString(seed));
      try {
        seen.add(roundTrip(seed, dir));
      } catch (AssertionError | RuntimeException e) {
        throw new AssertionError(
            "round trip failed for seed "
                + seed
                + " (replay: roundTrip("
                + seed
                + "L, dir)); files written:\n"
                + dump(dir.resolve("written")),
            e);
      }
    }
    // The generator must reach every feature, or the property proves less than it says.
    assertThat(seen.counts)
        .allSatisfy((feature, n) -> assertThat(n).as(feature).isGreaterThanOrEqualTo(10));
  }

  /** Writes, loads and rewrites the project of {@code seed}; returns what it contained. */
  static Coverage roundTrip(long seed, Path dir) {
    Generated g = ProjectGenerator.generate(seed, ProjectGenerator.ROUND_TRIP);
    Map<UniverseId, Universe> universes = new TreeMap<>();
    Map<UniverseId, Verdict> verdicts = new LinkedHashMap<>();
    for (GeneratedUniverse u : g.universes()) {
      Verdict v = UniverseOracle.judge(g.owners(), u.picks());
      if (v.valid()) {
        universes.put(u.universe().id(), u.universe());
        verdicts.put(u.universe().id(), v);
      }
    }
    Path written = dir.resolve("written");
    AstraWriter.writeProject(written, g.analysis(), List.copyOf(universes.values()));

    LoadedProject loaded = ProjectLoader.load(written);
    // The loader keeps a scalar's text whatever its type, so check the types themselves: only the
    // schema's numbers and booleans may read as anything but a string.
    files(written).forEach((name, yaml) -> assertOnlyStrings(name, yaml));

    assertThat(loaded.report().errors()).as("errors").isEmpty();
    assertThat(loaded.analysis()).isEqualTo(g.analysis());
    // Map equality ignores order, but declaration order is meaningful (tree order of decisions,
    // sub-analyses, options); toString lists entries in order.
    assertThat(loaded.analysis().toString()).isEqualTo(g.analysis().toString());
    Map<UniverseId, Universe> declared = new TreeMap<>();
    for (ResolvedUniverse u : loaded.universes()) {
      if (u.origin() == ResolvedUniverse.Origin.DEFAULT) {
        assertThat(universes).as("a default universe only without universe files").isEmpty();
        continue;
      }
      declared.put(u.id(), u.declared().orElseThrow());
      assertThat(u.choices()).as("choices of " + u.id()).isEqualTo(verdicts.get(u.id()).choices());
    }
    assertThat(declared).isEqualTo(universes);
    assertThat(declared.toString()).isEqualTo(universes.toString());

    Path rewritten = dir.resolve("rewritten");
    AstraWriter.writeProject(rewritten, loaded.analysis(), List.copyOf(declared.values()));
    assertThat(files(rewritten)).isEqualTo(files(written));
    return Coverage.of(g.analysis(), universes.size());
  }

  private static final java.util.Set<String> TYPED_KEYS =
      java.util.Set.of("cpus", "gpus", "page", "excluded", "derived");

  private static void assertOnlyStrings(String file, String yaml) {
    YamlReader.Result r = YamlReader.read(file, yaml.getBytes(StandardCharsets.UTF_8));
    assertThat(r.problems()).as(file).isEmpty();
    assertOnlyStrings(file, r.root().orElseThrow(), "", false);
  }

  private static void assertOnlyStrings(String file, YNode node, String key, boolean inEvidence) {
    if (node instanceof YScalar s) {
      boolean typed = TYPED_KEYS.contains(key) || (inEvidence && key.equals("version"));
      if (!typed) {
        assertThat(s.type())
            .as(file + ":" + s.mark().line() + " " + key + ": " + s.text())
            .isEqualTo(YScalar.Type.STRING);
      }
    } else if (node instanceof YSeq seq) {
      seq.items().forEach(i -> assertOnlyStrings(file, i, key, inEvidence));
    } else if (node instanceof YMap map) {
      map.entries()
          .forEach(
              e ->
                  assertOnlyStrings(
                      file, e.value(), e.name(), inEvidence || key.equals("evidence")));
    }
  }

  /** How often each feature the generator is meant to produce occurred. */
  static final class Coverage {
    final Map<String, Integer> counts = new TreeMap<>();

    void count(String feature, long n) {
      counts.merge(feature, (int) n, Integer::sum);
    }

    void add(Coverage other) {
      other.counts.forEach(this::count);
    }

    static Coverage of(Analysis root, int universes) {
      Coverage c = new Coverage();
      c.count("universes", universes);
      c.walk(root, true);
      return c;
    }

    private void walk(Analysis a, boolean root) {
      count("inline sub-analyses", root || a.path().isPresent() ? 0 : 1);
      count("path sub-analyses", a.path().isPresent() ? 1 : 0);
      count(
          "path sub-analyses of path sub-analyses",
          a.path().isPresent()
              ? a.analyses().values().stream().filter(s -> s.path().isPresent()).count()
              : 0);
      List<Input> aliases = a.inputs().stream().filter(Input::isAlias).toList();
      count(
          "inputs from ancestors",
          aliases.stream().filter(i -> i.from().get().scopes().isEmpty()).count());
      count(
          "inputs from other branches",
          aliases.stream().filter(i -> !i.from().get().scopes().isEmpty()).count());
      count("re-exported outputs", a.outputs().stream().filter(Output::isAlias).count());
      count(
          "outputs using sub-analysis outputs",
          a.outputs().stream()
              .filter(o -> o.inputs().stream().anyMatch(r -> !r.isLocal()))
              .count());
      count("outputs with when", a.outputs().stream().filter(o -> !o.when().isEmpty()).count());
      count(
          "recipes with resources",
          a.outputs().stream()
              .filter(o -> o.recipe().flatMap(r -> r.resources()).isPresent())
              .count());
      count("recipes with {output}", recipesWith(a, "{output}"));
      count("recipes with {{ }}", recipesWith(a, "{{"));
      count("recipes with {decisions.", recipesWith(a, "{decisions."));
      count("recipes with {inputs.", recipesWith(a, "{inputs."));
      List<Decision> decisions = List.copyOf(a.decisions().values());
      count("aliased decisions", decisions.stream().filter(Decision::isAlias).count());
      count("decisions with when", decisions.stream().filter(d -> !d.when().isEmpty()).count());
      count(
          "decisions without default",
          decisions.stream().filter(d -> !d.isAlias() && d.defaultOption().isEmpty()).count());
      List<Option> options =
          decisions.stream().flatMap(d -> d.options().values().stream()).toList();
      count("excluded options", options.stream().filter(Option::excluded).count());
      count("requires", options.stream().mapToLong(o -> o.requires().size()).sum());
      count(
          "incompatible_with", options.stream().mapToLong(o -> o.incompatibleWith().size()).sum());
      count(
          "options citing insights", options.stream().filter(o -> !o.insights().isEmpty()).count());
      count("insights", a.priorInsights().size() + a.findings().size());
      count(
          "artifact evidence",
          Stream.concat(a.priorInsights().values().stream(), a.findings().values().stream())
              .flatMap(i -> i.evidence().stream())
              .filter(e -> e.artifact().isPresent())
              .count());
      a.analyses().values().forEach(s -> walk(s, false));
    }
  }

  private static long recipesWith(Analysis a, String text) {
    return a.outputs().stream()
        .filter(o -> o.recipe().map(r -> r.command().contains(text)).orElse(false))
        .count();
  }

  /** Every file below {@code dir} by relative path, with its content. */
  private static Map<String, String> files(Path dir) {
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(Files::isRegularFile)
          .collect(
              Collectors.toMap(
                  p -> dir.relativize(p).toString(), p -> read(p), (x, y) -> x, TreeMap::new));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** As text, for readable failures; the writer writes UTF-8, so equal text is equal bytes. */
  private static String read(Path p) {
    try {
      return Files.readString(p, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String dump(Path dir) {
    if (!Files.isDirectory(dir)) {
      return "(none)";
    }
    StringBuilder out = new StringBuilder();
    files(dir)
        .forEach((name, content) -> out.append("--- ").append(name).append('\n').append(content));
    return out.toString();
  }
}
