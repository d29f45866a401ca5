package io.lightcone.core.internal.metric;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.lightcone.LightconeException;
import io.lightcone.LightconeException.Kind;
import io.lightcone.OutputStatus;
import io.lightcone.ResultRow;
import io.lightcone.Results;
import io.lightcone.ResultsOptions;
import io.lightcone.Task;
import io.lightcone.VerifyResult;
import io.lightcone.core.internal.Parallel;
import io.lightcone.core.internal.plan.ProjectState;
import io.lightcone.core.internal.plan.Targets;
import io.lightcone.core.internal.project.Tree;
import io.lightcone.core.internal.status.Integrity;
import io.lightcone.model.Decision;
import io.lightcone.model.OptionId;
import io.lightcone.model.Output;
import io.lightcone.model.OutputType;
import io.lightcone.model.QualifiedDecisionId;
import io.lightcone.model.QualifiedOutputId;
import io.lightcone.model.ResolvedUniverse;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code Project.results}: the requested fields of metric outputs across universes, each read only
 * when its output is fresh ({@code status}) and its bytes match its manifest ({@code verify} of
 * just that output); the rest are listed with their reason.
 */
public final class ResultTable {
  // Python's json.dump writes NaN and Infinity; they parse, and are then "not a number" here.
  private static final ObjectMapper JSON =
      JsonMapper.builder().enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build();

  /** A requested field: {@code name} = {@code output.path}. */
  record Field(String name, QualifiedOutputId output, String path) {}

  /** What was read of one output in one universe. */
  private static final class Cell {
    final Task task;
    ResultRow.State state;
    final List<String> reasons = new ArrayList<>();
    boolean read;
    Map<String, Object> json;
    String jsonProblem;
    Path file;

    Cell(Task task, ResultRow.State state) {
      this.task = task;
      this.state = state;
    }
  }

  private final ProjectState state;
  private final Path project;
  private final Integrity integrity;
  private final int threads;

  public ResultTable(ProjectState state, Integrity integrity, int threads) {
    this.state = state;
    this.project = state.directory();
    this.integrity = integrity;
    this.threads = threads;
  }

  public Results read(List<ResolvedUniverse> universes, ResultsOptions options) {
    Tree tree = state.tree();
    List<Field> fields = new ArrayList<>();
    Set<String> names = new LinkedHashSet<>();
    for (String f : options.fields()) {
      if (names.add(f)) {
        fields.add(field(tree, f));
      }
    }
    Optional<List<Field>> interval =
        options
            .interval()
            .map(
                paths -> paths.stream().map(p -> new Field(p, fields.get(0).output(), p)).toList());
    List<QualifiedOutputId> outputs = new ArrayList<>();
    fields.stream().map(Field::output).distinct().forEach(outputs::add);

    Map<String, OutputStatus> status = new HashMap<>();
    for (OutputStatus s : integrity.status(universes).outputs()) {
      status.put(s.universeId() + "\0" + s.qualifiedId(), s);
    }

    // Which outputs to read, and which of those to verify first.
    Map<ResolvedUniverse, Map<QualifiedOutputId, Cell>> cells = new LinkedHashMap<>();
    List<Task> toVerify = new ArrayList<>();
    for (ResolvedUniverse u : universes) {
      Map<QualifiedOutputId, Task> byOutput = new HashMap<>();
      for (Task t : state.tasks(u)) {
        byOutput.put(t.id().output(), t);
      }
      Map<QualifiedOutputId, Cell> row = new LinkedHashMap<>();
      for (QualifiedOutputId o : outputs) {
        Task t = byOutput.get(o);
        if (t == null) {
          continue; // not active in this universe: its when: does not hold
        }
        OutputStatus s = status.get(u.id().value() + "\0" + o);
        Cell c = new Cell(t, state(s));
        if (c.state != ResultRow.State.OK) {
          c.reasons.addAll(
              !s.reasons().isEmpty()
                  ? s.reasons()
                  : List.of(
                      c.state == ResultRow.State.MISSING ? "not made yet" : s.state().word()));
        }
        boolean exists = Files.isDirectory(project.resolve(t.outputDir()));
        if (exists && (c.state == ResultRow.State.OK || options.includeStale())) {
          toVerify.add(t);
        }
        row.put(o, c);
      }
      if (!row.isEmpty()) {
        cells.put(u, row);
      }
    }

    // The verify check on just these outputs: a fresh one that fails is tampered; a stale one
    // only when its own bytes or manifest fail (its chain is broken because it is stale).
    Map<String, VerifyResult> verified = new HashMap<>();
    for (VerifyResult v : integrity.verifyTasks(toVerify).results()) {
      verified.put(v.universeId() + "\0" + v.qualifiedId(), v);
    }
    List<Cell> toRead = new ArrayList<>();
    cells.forEach(
        (u, row) ->
            row.forEach(
                (o, c) -> {
                  VerifyResult v = verified.get(u.id().value() + "\0" + o);
                  if (v == null) {
                    return;
                  }
                  if (v.failure().isPresent()
                      && (c.state == ResultRow.State.OK
                          || v.failure().get() != VerifyResult.Failure.BROKEN_CHAIN)) {
                    c.state = ResultRow.State.TAMPERED;
                    c.reasons.clear();
                    c.reasons.add(v.failure().get().word() + ": " + v.detail());
                  }
                  if (c.state == ResultRow.State.OK || options.includeStale()) {
                    c.read = true;
                    toRead.add(c);
                  }
                }));
    Parallel.map(toRead, threads, c -> readJson(c));

    // Numbers, and whether a field is wrong everywhere (a usage mistake, not a universe's state).
    List<Field> all = new ArrayList<>(fields);
    interval.ifPresent(all::addAll);
    Map<Field, Integer> numbers = new HashMap<>();
    Map<Field, String> firstProblem = new HashMap<>();
    Map<ResolvedUniverse, Map<Field, Object>> extracted = new HashMap<>();
    cells.forEach(
        (u, row) -> {
          Map<Field, Object> got = new HashMap<>();
          for (Field f : all) {
            Cell c = row.get(f.output());
            if (c == null || !c.read) {
              continue;
            }
            Object v = c.jsonProblem != null ? c.jsonProblem : number(c, f);
            if (v instanceof Double) {
              numbers.merge(f, 1, Integer::sum);
            } else {
              firstProblem.putIfAbsent(f, (String) v);
            }
            got.put(f, v);
          }
          extracted.put(u, got);
        });
    for (Field f : all) {
      if (firstProblem.containsKey(f) && !numbers.containsKey(f)) {
        throw new LightconeException(
            Kind.USER_INPUT,
            firstProblem.get(f)
                + "; name a number in the metric's JSON as OUTPUT.FIELD (dots go into nested"
                + " objects)");
      }
    }

    List<QualifiedDecisionId> decisions = decisions(universes);
    List<ResultRow> rows = new ArrayList<>();
    cells.forEach(
        (u, row) -> {
          Map<Field, Object> got = extracted.get(u);
          ResultRow.State worst = ResultRow.State.OK;
          List<String> reasons = new ArrayList<>();
          for (Map.Entry<QualifiedOutputId, Cell> e : row.entrySet()) {
            Cell c = e.getValue();
            if (c.state.compareTo(worst) > 0) {
              worst = c.state;
            }
            for (String r : c.reasons) {
              reasons.add(e.getKey() + ": " + r);
            }
          }
          for (Field f : all) {
            if (got.get(f) instanceof String problem) {
              if (ResultRow.State.NOT_NUMERIC.compareTo(worst) > 0) {
                worst = ResultRow.State.NOT_NUMERIC;
              }
              reasons.add(problem);
            }
          }
          boolean shown = worst == ResultRow.State.OK || options.includeStale();
          ResultRow.Builder b = ResultRow.builder().universe(u.id()).state(worst).reasons(reasons);
          for (QualifiedDecisionId d : decisions) {
            OptionId o = u.choices().get(d);
            if (o != null) {
              b.putChoice(d, o);
            }
          }
          if (shown) {
            for (Field f : fields) {
              if (got.get(f) instanceof Double v) {
                b.putValue(f.name(), v);
              }
            }
            interval.ifPresent(
                i -> {
                  if (got.get(i.get(0)) instanceof Double lo
                      && got.get(i.get(1)) instanceof Double hi) {
                    b.interval(new ResultRow.Interval(lo, hi));
                  }
                });
          }
          rows.add(b.build());
        });

    List<ResultRow> ok = rows.stream().filter(ResultRow::ok).toList();
    List<io.lightcone.FieldSummary> summaries = new ArrayList<>();
    for (Field f : fields) {
      Summaries.of(f.name(), ok, decisions, d -> options(tree, d)).ifPresent(summaries::add);
    }
    return new Results(
        fields.stream().map(Field::name).toList(),
        decisions,
        rows,
        summaries,
        options.includeStale(),
        options.interval());
  }

  private static ResultRow.State state(OutputStatus s) {
    return switch (s.state()) {
      case OK, ALIAS -> ResultRow.State.OK;
      case STALE -> ResultRow.State.STALE;
      case FAILED -> ResultRow.State.FAILED;
      case MISSING -> ResultRow.State.MISSING;
    };
  }

  /** Every decision some universe chose an option for, in the order they first appear. */
  private static List<QualifiedDecisionId> decisions(List<ResolvedUniverse> universes) {
    Set<QualifiedDecisionId> all = new LinkedHashSet<>();
    universes.forEach(u -> all.addAll(u.choices().keySet()));
    return List.copyOf(all);
  }

  private static List<OptionId> options(Tree tree, QualifiedDecisionId id) {
    Decision d = tree.decision(id);
    return d == null ? List.of() : List.copyOf(d.options().keySet());
  }

  /**
   * {@code output.path}: the longest prefix that names an output is the output (so {@code
   * calibration.zero_point.zero_point} reads field {@code zero_point} of {@code
   * calibration.zero_point}), which must be a metric made by a recipe.
   */
  static Field field(Tree tree, String name) {
    QualifiedOutputId output = null;
    String path = null;
    for (int dot = name.lastIndexOf('.'); dot > 0; dot = name.lastIndexOf('.', dot - 1)) {
      try {
        output = Targets.resolve(tree, name.substring(0, dot));
        path = name.substring(dot + 1);
        break;
      } catch (LightconeException e) {
        // not an output; try a shorter prefix
      }
    }
    if (output == null) {
      if (name.indexOf('.') < 0) {
        throw new LightconeException(
            Kind.USER_INPUT,
            "field '"
                + name
                + "' names no JSON field: write OUTPUT.FIELD, e.g. "
                + name
                + ".<field> for a field of output '"
                + name
                + "'");
      }
      try {
        Targets.resolve(tree, name.substring(0, name.indexOf('.')));
      } catch (LightconeException e) {
        throw new LightconeException(Kind.USER_INPUT, "field '" + name + "': " + e.getMessage());
      }
      throw new LightconeException(Kind.USER_INPUT, "field '" + name + "' names no output");
    }
    if (path.isEmpty() || path.endsWith(".") || path.contains("..")) {
      throw new LightconeException(
          Kind.USER_INPUT, "field '" + name + "' has an empty path after output '" + output + "'");
    }
    QualifiedOutputId q = output;
    Output o =
        tree.at(q.analysis()).outputs().stream()
            .filter(x -> x.id().equals(q.output()))
            .findFirst()
            .orElseThrow();
    if (o.type().orElse(null) != OutputType.METRIC) {
      throw new LightconeException(
          Kind.USER_INPUT,
          "output '"
              + q
              + "' is "
              + o.type().map(t -> "of type " + t.yamlName()).orElse("of no type")
              + " in astra.yaml, not metric; results reads the JSON of outputs of type: metric");
    }
    if (o.recipe().isEmpty()) {
      throw new LightconeException(
          Kind.USER_INPUT,
          "output '"
              + q
              + "' has no recipe"
              + o.from().map(f -> " (it re-exports " + f + ")").orElse("")
              + "; name the output that makes it");
    }
    return new Field(name, q, path);
  }

  /** The number at {@code f.path} of the cell's JSON, else a one-line problem naming the file. */
  private Object number(Cell c, Field f) {
    Object value = c.json;
    String at = "";
    String file = project.relativize(c.file).toString();
    for (String key : f.path().split("\\.", -1)) {
      if (!(value instanceof Map<?, ?> object) || !object.containsKey(key)) {
        return file
            + " has no field '"
            + f.path()
            + "'"
            + (value instanceof Map<?, ?> object
                ? " (fields" + (at.isEmpty() ? "" : " of " + at) + ": " + keys(object) + ")"
                : " (" + at + " is not an object)");
      }
      value = object.get(key);
      at = at.isEmpty() ? key : at + "." + key;
    }
    if (value instanceof Number n && Double.isFinite(n.doubleValue())) {
      return n.doubleValue();
    }
    return "field '"
        + f.path()
        + "' of "
        + file
        + " is "
        + (value instanceof String s ? "\"" + s + "\"" : String.valueOf(value))
        + ", not a number";
  }

  private static String keys(Map<?, ?> object) {
    return String.join(", ", object.keySet().stream().map(String::valueOf).toList());
  }

  /**
   * Reads the one {@code .json} file of the cell's output into {@code json} or {@code jsonProblem}.
   */
  private Cell readJson(Cell c) {
    Path dir = project.resolve(c.task.outputDir());
    List<Path> json = Metrics.jsonFiles(dir);
    c.file = json.isEmpty() ? dir : json.get(0);
    if (json.size() != 1) {
      c.jsonProblem =
          c.task.outputDir()
              + " holds "
              + (json.isEmpty()
                  ? "no .json file"
                  : json.size()
                      + " .json files ("
                      + String.join(
                          ", ", json.stream().map(f -> f.getFileName().toString()).toList())
                      + ")")
              + "; a metric output holds exactly one";
      return c;
    }
    Object parsed;
    try {
      parsed = JSON.readValue(c.file.toFile(), Object.class);
    } catch (JacksonException e) {
      c.jsonProblem = project.relativize(c.file) + " is not valid JSON: " + e.getOriginalMessage();
      return c;
    } catch (IOException e) {
      throw new LightconeException(
          Kind.ENVIRONMENT, "cannot read " + c.file + ": " + e.getMessage());
    }
    if (!(parsed instanceof Map<?, ?> object)) {
      c.jsonProblem = project.relativize(c.file) + " holds no JSON object at its top";
      return c;
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> map = (Map<String, Object>) object;
    c.json = map;
    return c;
  }
}
