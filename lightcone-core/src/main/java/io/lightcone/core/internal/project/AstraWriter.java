package io.lightcone.core.internal.project;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.fasterxml.jackson.dataformat.yaml.util.StringQuotingChecker;
import io.lightcone.model.Analysis;
import io.lightcone.model.Decision;
import io.lightcone.model.Evidence;
import io.lightcone.model.Input;
import io.lightcone.model.Insight;
import io.lightcone.model.Option;
import io.lightcone.model.Output;
import io.lightcone.model.PageLocation;
import io.lightcone.model.Recipe;
import io.lightcone.model.Resources;
import io.lightcone.model.TextQuote;
import io.lightcone.model.Universe;
import io.lightcone.model.UniverseNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Writes the ASTRA model back to YAML that {@link ProjectLoader} reads into equal values: keys in
 * schema order, absent optionals and empty lists and maps left out, and every string that a YAML
 * reader could take for another type (a number, a boolean, null, a date) quoted. The output is
 * deterministic, so writing a loaded project again gives the same bytes.
 *
 * <pre>{@code
 * AstraWriter.writeProject(dir, analysis, List.of(baseline));
 * String yaml = AstraWriter.analysisYaml(analysis);
 * }</pre>
 */
final class AstraWriter {
  private static final YAMLMapper YAML =
      YAMLMapper.builder(YAMLFactory.builder().stringQuotingChecker(new Quoting()).build())
          .enable(
              YAMLGenerator.Feature.MINIMIZE_QUOTES,
              YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS,
              YAMLGenerator.Feature.INDENT_ARRAYS_WITH_INDICATOR)
          // Long lines stay whole: folded scalars are harder to diff and to edit by hand.
          .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER, YAMLGenerator.Feature.SPLIT_LINES)
          .enable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN)
          .build();

  private AstraWriter() {}

  /**
   * The content of the {@code astra.yaml} that holds {@code analysis}. Its own {@code path()} is
   * not written (the root of a file has none); a sub-analysis with a {@code path()} is written as
   * its {@code id} and {@code path} only, its content belonging in that directory's file.
   */
  public static String analysisYaml(Analysis analysis) {
    return yaml(analysis(analysis, true));
  }

  /** The content of a {@code universes/<id>.yaml} file for {@code universe}. */
  public static String universeYaml(Universe universe) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("id", universe.id().value());
    put(out, "description", universe.description());
    put(out, "decisions", selections(universe.decisions()));
    put(out, "analyses", nodes(universe.analyses()));
    return yaml(out);
  }

  /**
   * Writes a project into {@code dir}: {@code astra.yaml} for {@code root}, the {@code astra.yaml}
   * of every sub-analysis with a {@code path()} (relative to the directory of the file that
   * includes it, as the loader reads it), and {@code universes/<id>.yaml} for each universe (a
   * selection by {@code universe:} name is written as such; the file it names is not). Existing
   * files of those names are replaced; nothing else is touched.
   *
   * @throws IllegalArgumentException when a {@code path()} is absolute, leads outside {@code dir},
   *     or names a directory another sub-analysis or universe file already uses
   * @throws UncheckedIOException when a file cannot be written
   */
  public static void writeProject(Path dir, Analysis root, List<Universe> universes) {
    Path base = dir.toAbsolutePath().normalize();
    Set<Path> written = new HashSet<>();
    writeAnalysisFiles(base, base, root, written);
    for (Universe u : universes) {
      write(
          base,
          base.resolve("universes").resolve(u.id().value() + ".yaml"),
          universeYaml(u),
          written);
    }
  }

  private static void writeAnalysisFiles(Path base, Path dir, Analysis a, Set<Path> written) {
    write(base, dir.resolve(AnalysisFiles.ASTRA_YAML), analysisYaml(a), written);
    writeIncluded(base, dir, a, written);
  }

  /**
   * The files of the {@code path:} sub-analyses below {@code a}, whose file lives in {@code dir}.
   */
  private static void writeIncluded(Path base, Path dir, Analysis a, Set<Path> written) {
    for (Analysis sub : a.analyses().values()) {
      if (sub.path().isPresent()) {
        Path rel = Path.of(sub.path().get());
        if (rel.isAbsolute()) {
          throw new IllegalArgumentException(
              "path '" + sub.path().get() + "' of sub-analysis '" + sub.id() + "' is absolute");
        }
        writeAnalysisFiles(base, dir.resolve(rel).normalize(), sub, written);
      } else {
        writeIncluded(base, dir, sub, written);
      }
    }
  }

  private static void write(Path base, Path file, String content, Set<Path> written) {
    if (!file.startsWith(base)) {
      throw new IllegalArgumentException(file + " is outside the project directory " + base);
    }
    if (!written.add(file)) {
      throw new IllegalArgumentException(
          base.relativize(file) + " would be written twice; give each sub-analysis its own path");
    }
    try {
      Files.createDirectories(file.getParent());
      Files.writeString(file, content, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  // ---- model to ordered trees; key order follows the schema (and AnalysisBinder's key lists) ----

  private static Map<String, Object> analysis(Analysis a, boolean fileRoot) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("id", a.id().value());
    if (!fileRoot && a.path().isPresent()) {
      out.put("path", a.path().get());
      return out;
    }
    put(out, "version", a.version());
    put(out, "name", a.name());
    put(out, "description", a.description());
    put(out, "tags", a.tags());
    put(out, "inputs", a.inputs().stream().map(AstraWriter::input).toList());
    put(out, "outputs", a.outputs().stream().map(AstraWriter::output).toList());
    Map<String, Object> decisions = new LinkedHashMap<>();
    a.decisions().forEach((id, d) -> decisions.put(id.value(), decision(d)));
    put(out, "decisions", decisions);
    put(out, "prior_insights", insights(a.priorInsights().values()));
    put(out, "findings", insights(a.findings().values()));
    put(out, "container", a.container());
    Map<String, Object> subs = new LinkedHashMap<>();
    a.analyses().forEach((id, sub) -> subs.put(id.value(), analysis(sub, false)));
    put(out, "analyses", subs);
    return out;
  }

  private static Map<String, Object> input(Input i) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("id", i.id().value());
    put(out, "label", i.label());
    put(out, "type", i.type().map(AstraWriter::enumName));
    put(out, "description", i.description());
    put(out, "source", i.source());
    put(out, "ref", i.ref());
    put(out, "ref_version", i.refVersion());
    put(out, "use_outputs", i.useOutputs());
    put(out, "from", i.from().map(Object::toString));
    return out;
  }

  private static Map<String, Object> output(Output o) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("id", o.id().value());
    put(out, "label", o.label());
    put(out, "type", o.type().map(AstraWriter::enumName));
    put(out, "format", o.format());
    put(out, "description", o.description());
    put(out, "inputs", strings(o.inputs()));
    put(out, "decisions", strings(o.decisions()));
    put(out, "recipe", o.recipe().map(AstraWriter::recipe));
    put(out, "from", o.from().map(Object::toString));
    put(out, "when", strings(o.when()));
    return out;
  }

  private static Map<String, Object> recipe(Recipe r) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("command", r.command());
    put(out, "resources", r.resources().map(AstraWriter::resources));
    put(out, "container", r.container());
    return out;
  }

  private static Map<String, Object> resources(Resources r) {
    Map<String, Object> out = new LinkedHashMap<>();
    if (r.cpus().isPresent()) {
      double cpus = r.cpus().getAsDouble();
      if (!Double.isFinite(cpus)) {
        throw new IllegalArgumentException("cpus must be a finite number, not " + cpus);
      }
      // Plain decimal, shortest form: 8 rather than 8.0, 0.5 rather than 5E-1.
      out.put("cpus", BigDecimal.valueOf(cpus).stripTrailingZeros());
    }
    put(out, "memory", r.memory());
    put(out, "time_limit", r.timeLimit());
    put(out, "disk", r.disk());
    if (r.gpus().isPresent()) {
      out.put("gpus", r.gpus().getAsInt());
    }
    return out;
  }

  /** Keyed by its id, which is therefore not repeated inside, as ASTRA files usually write it. */
  private static Map<String, Object> decision(Decision d) {
    Map<String, Object> out = new LinkedHashMap<>();
    put(out, "label", d.label());
    put(out, "rationale", d.rationale());
    put(out, "tags", d.tags());
    put(out, "default", d.defaultOption().map(Object::toString));
    Map<String, Object> options = new LinkedHashMap<>();
    d.options().forEach((id, o) -> options.put(id.value(), option(o)));
    put(out, "options", options);
    put(out, "from", d.from().map(Object::toString));
    put(out, "when", strings(d.when()));
    return out;
  }

  private static Map<String, Object> option(Option o) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("label", o.label());
    put(out, "description", o.description());
    put(out, "insights", strings(o.insights()));
    put(out, "incompatible_with", strings(o.incompatibleWith()));
    put(out, "requires", strings(o.requires()));
    if (o.excluded()) {
      out.put("excluded", true);
    }
    put(out, "excluded_reason", o.excludedReason());
    return out;
  }

  private static Map<String, Object> insights(Collection<Insight> insights) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (Insight i : insights) {
      out.put(i.id().value(), insight(i));
    }
    return out;
  }

  private static Map<String, Object> insight(Insight i) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("id", i.id().value());
    put(out, "label", i.label());
    out.put("claim", i.claim());
    out.put("created_at", i.createdAt());
    put(out, "evidence", i.evidence().stream().map(AstraWriter::evidence).toList());
    i.derived().ifPresent(d -> out.put("derived", d));
    put(out, "scope", i.scope());
    put(out, "tags", i.tags());
    put(out, "notes", i.notes());
    return out;
  }

  private static Map<String, Object> evidence(Evidence e) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("id", e.id().value());
    put(out, "doi", e.doi());
    put(out, "artifact", e.artifact());
    if (e.version().isPresent()) {
      out.put("version", e.version().getAsInt());
    }
    put(out, "snapshot", e.snapshot());
    put(out, "source_commit", e.sourceCommit());
    put(out, "quote", e.quote().map(AstraWriter::quote));
    put(out, "location", e.location().map(AstraWriter::location));
    return out;
  }

  private static Map<String, Object> quote(TextQuote q) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("exact", q.exact());
    put(out, "prefix", q.prefix());
    put(out, "suffix", q.suffix());
    return out;
  }

  private static Map<String, Object> location(PageLocation l) {
    Map<String, Object> out = new LinkedHashMap<>();
    put(out, "value", l.value());
    if (l.page().isPresent()) {
      out.put("page", l.page().getAsInt());
    }
    return out;
  }

  private static Map<String, Object> nodes(Map<?, UniverseNode> nodes) {
    Map<String, Object> out = new LinkedHashMap<>();
    nodes.forEach(
        (id, n) -> {
          Map<String, Object> node = new LinkedHashMap<>();
          node.put("id", n.id().value());
          put(node, "universe", n.universe());
          put(node, "decisions", selections(n.decisions()));
          put(node, "analyses", nodes(n.analyses()));
          out.put(id.toString(), node);
        });
    return out;
  }

  private static Map<String, Object> selections(Map<?, ?> decisions) {
    Map<String, Object> out = new LinkedHashMap<>();
    decisions.forEach((d, o) -> out.put(d.toString(), o.toString()));
    return out;
  }

  private static List<String> strings(List<?> values) {
    return values.stream().map(Object::toString).toList();
  }

  private static String enumName(Enum<?> e) {
    return e.name().toLowerCase(Locale.ROOT);
  }

  private static void put(Map<String, Object> out, String key, Optional<?> value) {
    value.ifPresent(v -> out.put(key, v));
  }

  private static void put(Map<String, Object> out, String key, Collection<?> value) {
    if (!value.isEmpty()) {
      out.put(key, value);
    }
  }

  private static void put(Map<String, Object> out, String key, Map<?, ?> value) {
    if (!value.isEmpty()) {
      out.put(key, value);
    }
  }

  private static String yaml(Map<String, Object> tree) {
    rejectUnwritable(tree);
    try {
      return YAML.writeValueAsString(tree);
    } catch (JsonProcessingException e) {
      // Only strings, numbers, booleans, lists and maps go in: a failure is a bug here.
      throw new IllegalStateException("cannot write YAML: " + e.getOriginalMessage(), e);
    }
  }

  /**
   * The emitter writes a multi-line string as a literal block, where U+0085 (NEXT LINE) is read
   * back as a line break: refuse rather than write a file that loads as something else.
   */
  private static void rejectUnwritable(Object node) {
    if (node instanceof String s) {
      if (s.indexOf('\n') >= 0 && s.indexOf('\u0085') >= 0) {
        throw new IllegalArgumentException(
            "cannot write a multi-line string that contains U+0085 (NEXT LINE): "
                + s.replace("\u0085", "\\u0085"));
      }
    } else if (node instanceof Map<?, ?> m) {
      m.keySet().forEach(AstraWriter::rejectUnwritable);
      m.values().forEach(AstraWriter::rejectUnwritable);
    } else if (node instanceof Collection<?> c) {
      c.forEach(AstraWriter::rejectUnwritable);
    }
  }

  /**
   * Jackson's default quoting, plus what it leaves plain but other YAML readers (YAML 1.1 ones such
   * as PyYAML, which the reference tool uses) would not read back as the same string.
   */
  private static final class Quoting extends StringQuotingChecker.Default {
    private static final long serialVersionUID = 1L;

    /**
     * Starts like a number (16Gi, 2h, 1:20 which YAML 1.1 reads as 80, 0o17), a date or time stamp,
     * or is YAML 1.1's {@code =} value key or the {@code <<} merge key.
     */
    private static final Pattern AMBIGUOUS =
        Pattern.compile("[-+]?\\.?[0-9].*|=|<<", Pattern.DOTALL);

    @Override
    public boolean needToQuoteValue(String value) {
      return super.needToQuoteValue(value) || needsQuotes(value);
    }

    @Override
    public boolean needToQuoteName(String name) {
      return super.needToQuoteName(name) || needsQuotes(name);
    }

    private static boolean needsQuotes(String s) {
      return AMBIGUOUS.matcher(s).matches() || hasUnsafeChar(s);
    }

    /**
     * Line and paragraph separators and control characters: the emitter may leave them in a plain
     * scalar, where a reader folds or rejects them; quoted, they are written as escapes.
     */
    private static boolean hasUnsafeChar(String s) {
      for (int i = 0; i < s.length(); i++) {
        char c = s.charAt(i);
        if (c == '\u0085' || c == '\u2028' || c == '\u2029' || (c < 0x20 && c != '\n')) {
          return true;
        }
      }
      return false;
    }
  }
}
