package io.lightcone.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import io.lightcone.Plan;
import io.lightcone.PlannedTask;
import io.lightcone.Task;
import io.lightcone.TaskId;
import io.lightcone.core.Project;
import io.lightcone.core.RunOptions;
import io.lightcone.model.OptionId;
import io.lightcone.model.QualifiedDecisionId;
import io.lightcone.model.ResolvedUniverse;
import io.lightcone.model.Resources;
import io.lightcone.spi.Substrate;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code lc plan}: what {@code lc run} would do and why, without running anything — a table, the
 * JSON of DESIGN §8, or a Graphviz graph.
 */
@Command(
    name = "plan",
    header = "Show what would run and why, without running anything.",
    synopsisHeading = "%nUsage: ",
    descriptionHeading = "%n",
    description = {
      "Prints every task of the selected universes (one per output and universe) in dependency"
          + " order with its action (run, skip, restore) and reasons (missing, code changed: ...,"
          + " upstream changed: ..., forced, fresh), then a summary. With --substrate snakemake,"
          + " then writes .lightcone/Snakefile and prints what snakemake would run (a dry run)."
    },
    parameterListHeading = "%nArguments:%n",
    optionListHeading = "%nOptions:%n")
final class PlanCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin ProjectOption project;

  @Mixin Selection selection;

  @ArgGroup(exclusive = true, multiplicity = "0..1")
  Format format = new Format();

  @Option(
      names = "--no-cache",
      description = "Plan as lc run --no-cache runs: nothing is restored from the cache.")
  boolean noCache;

  @Mixin CacheOption cache;

  @Mixin RuntimeOption runtime;

  @Option(
      names = "--substrate",
      paramLabel = "NAME",
      defaultValue = "local",
      description =
          "Also ask this substrate what it would run: with snakemake, writes .lightcone/Snakefile"
              + " and prints snakemake's dry run (default: ${DEFAULT-VALUE}, the plan only).")
  String substrate;

  /** {@code --json} and {@code --dot} exclude each other. */
  static final class Format {
    @Option(
        names = "--json",
        description =
            "Print {\"tasks\": [...], \"universes\": [...]} as JSON (the shape is in the README).")
    boolean json;

    @Option(
        names = "--dot",
        description = "Print the task graph for Graphviz (dot -Tsvg); tasks to run are filled.")
    boolean dot;
  }

  @Override
  public Integer call() {
    Format f = format == null ? new Format() : format;
    Optional<Substrate.DryRun> dryRun = dryRunner(f);
    Project p = Project.load(project.directory());
    Plan plan =
        p.plan(
            selection.options(p),
            cache.applyTo(runtime.applyTo(RunOptions.builder())).cache(!noCache).build());
    Reports.warnings(plan, spec.commandLine().getErr());
    PrintWriter out = spec.commandLine().getOut();
    if (f.json) {
      json(plan, out);
    } else if (f.dot) {
      dot(plan, out);
    } else {
      out.println(plan);
    }
    out.flush();
    if (dryRun.isPresent()) {
      String jobs = dryRun.get().describe(plan);
      out.println();
      out.println(dryRun.get().heading() + ":");
      out.println(jobs);
      out.flush();
    }
    return ExitCode.OK.code;
  }

  /** The substrate whose dry run {@code --substrate} asks for; a bad value is a usage error. */
  private Optional<Substrate.DryRun> dryRunner(Format f) {
    Optional<Substrate.DryRun> dryRun =
        Substrates.required(spec.commandLine(), substrate).dryRunner();
    if (dryRun.isPresent()) {
      if (f.json || f.dot) {
        throw new ParameterException(
            spec.commandLine(),
            "--substrate " + substrate + " prints a dry run, which --json and --dot cannot hold");
      }
      return dryRun;
    }
    if (!substrate.equals(Substrates.LOCAL)) {
      throw new ParameterException(
          spec.commandLine(), "--substrate " + substrate + " has no dry run to show");
    }
    return Optional.empty();
  }

  /**
   * {@code {"tasks": [{"id", "universe_id", "output_id", "analysis_id", "action", "reasons",
   * "depends_on", "command", "code_version", "resources"}], "universes": [{"universe_id",
   * "decisions"}]}}, streamed.
   */
  static void json(Plan plan, Writer out) {
    Json.write(
        out,
        g -> {
          g.writeStartObject();
          g.writeArrayFieldStart("tasks");
          for (PlannedTask planned : plan.tasks()) {
            task(g, planned);
          }
          g.writeEndArray();
          g.writeArrayFieldStart("universes");
          for (ResolvedUniverse u : plan.universes()) {
            g.writeStartObject();
            g.writeStringField("universe_id", u.id().value());
            g.writeObjectFieldStart("decisions");
            for (Map.Entry<QualifiedDecisionId, OptionId> c : u.choices().entrySet()) {
              g.writeStringField(c.getKey().toString(), c.getValue().value());
            }
            g.writeEndObject();
            g.writeEndObject();
          }
          g.writeEndArray();
          g.writeEndObject();
        });
  }

  private static void task(JsonGenerator g, PlannedTask planned) throws IOException {
    Task t = planned.task();
    g.writeStartObject();
    g.writeStringField("id", t.id().toString());
    g.writeStringField("universe_id", t.id().universe().value());
    g.writeStringField("output_id", t.id().output().output().value());
    g.writeStringField("analysis_id", t.analysisId());
    g.writeStringField("action", planned.action().word());
    Json.stringArray(g, "reasons", planned.reasons());
    g.writeArrayFieldStart("depends_on");
    for (TaskId dep : t.dependsOn()) {
      g.writeString(dep.toString());
    }
    g.writeEndArray();
    g.writeStringField("command", t.command());
    g.writeStringField("code_version", t.codeVersion());
    g.writeObjectFieldStart("resources");
    if (t.resources().isPresent()) {
      resources(g, t.resources().get());
    }
    g.writeEndObject();
    g.writeEndObject();
  }

  /** The resources as {@code astra.yaml} has them: numbers as numbers, sizes as written. */
  private static void resources(JsonGenerator g, Resources r) throws IOException {
    if (r.cpus().isPresent()) {
      double cpus = r.cpus().getAsDouble();
      g.writeFieldName("cpus");
      if (cpus == Math.rint(cpus) && Math.abs(cpus) < 1e15) {
        g.writeNumber((long) cpus);
      } else {
        g.writeNumber(cpus);
      }
    }
    if (r.memory().isPresent()) {
      g.writeStringField("memory", r.memory().get());
    }
    if (r.gpus().isPresent()) {
      g.writeNumberField("gpus", r.gpus().getAsInt());
    }
    if (r.timeLimit().isPresent()) {
      g.writeStringField("time_limit", r.timeLimit().get());
    }
    if (r.disk().isPresent()) {
      g.writeStringField("disk", r.disk().get());
    }
  }

  /**
   * A Graphviz digraph: one cluster per universe, a node per task (filled when it runs or is
   * restored, grey and dashed when skipped), an edge per dependency within the plan.
   */
  static void dot(Plan plan, PrintWriter out) {
    Set<TaskId> planned = new HashSet<>();
    Map<String, List<PlannedTask>> byUniverse = new LinkedHashMap<>();
    for (PlannedTask t : plan.tasks()) {
      planned.add(t.task().id());
      byUniverse.computeIfAbsent(t.task().id().universe().value(), u -> new ArrayList<>()).add(t);
    }
    out.println("digraph plan {");
    out.println("  rankdir=LR;");
    out.println("  node [shape=box, style=\"rounded,filled\", fontname=\"Helvetica\"];");
    for (Map.Entry<String, List<PlannedTask>> u : byUniverse.entrySet()) {
      out.println("  subgraph " + quote("cluster_" + u.getKey()) + " {");
      out.println("    label=" + quote(u.getKey()) + ";");
      for (PlannedTask t : u.getValue()) {
        out.println("    " + quote(t.task().id().toString()) + " [" + nodeStyle(t) + "];");
      }
      out.println("  }");
    }
    for (PlannedTask t : plan.tasks()) {
      for (TaskId dep : t.task().dependsOn()) {
        if (planned.contains(dep)) {
          out.println(
              "  " + quote(dep.toString()) + " -> " + quote(t.task().id().toString()) + ";");
        }
      }
    }
    out.println("}");
    out.flush();
  }

  private static String nodeStyle(PlannedTask t) {
    String label =
        t.task().id().output()
            + "\n"
            + t.action().word()
            + (t.reasons().isEmpty() ? "" : ": " + String.join("; ", t.reasons()));
    String style =
        switch (t.action()) {
          case RUN -> "fillcolor=\"#ffd98e\"";
          case RESTORE -> "fillcolor=\"#b9dcff\"";
          case SKIP ->
              "fillcolor=\"#eeeeee\", fontcolor=\"#777777\", style=\"rounded,filled,dashed\"";
        };
    return "label=" + quote(label) + ", " + style;
  }

  /** A DOT double-quoted string; a newline becomes DOT's centred line break. */
  static String quote(String text) {
    StringBuilder out = new StringBuilder("\"");
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> {}
        default -> out.append(c);
      }
    }
    return out.append('"').toString();
  }
}
