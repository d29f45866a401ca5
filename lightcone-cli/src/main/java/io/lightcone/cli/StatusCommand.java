package io.lightcone.cli;

import io.lightcone.OutputStatus;
import io.lightcone.StatusReport;
import io.lightcone.core.Project;
import io.lightcone.core.RunOptions;
import io.lightcone.model.ResolvedUniverse;
import io.lightcone.slurm.SlurmJobs;
import java.io.PrintWriter;
import java.io.Writer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code lc status}: what is fresh, from manifests alone; never re-hashes data. */
@Command(
    name = "status",
    header = "Show which outputs are fresh, from their manifests (offline, fast).",
    synopsisHeading = "%nUsage: ",
    descriptionHeading = "%n",
    description = {
      "Prints every output of the selected universes with its status — ok, stale (with the"
          + " reasons), missing, alias (nothing to make) or failed (the last attempt failed) —"
          + " then the counts. Exits 0 whatever the statuses; lc verify checks the data."
    },
    optionListHeading = "%nOptions:%n")
final class StatusCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin ProjectOption project;

  @Mixin UniverseOption universes;

  @Option(
      names = "--json",
      description =
          "Print {\"universes\": [{\"universe_id\", \"outputs\": [...]}]} as JSON instead.")
  boolean json;

  @Override
  public Integer call() {
    Project p = Project.load(project.directory());
    StatusReport report = p.status(universes.ids());
    List<ResolvedUniverse> selected = p.universes(universes.ids());
    PrintWriter out = spec.commandLine().getOut();
    p.sandboxWarning(RunOptions.builder().sandboxFallback(true).build())
        .ifPresent(w -> spec.commandLine().getErr().println("lc: warning: " + w));
    spec.commandLine().getErr().flush();
    if (json) {
      json(report, selected, out);
    } else {
      out.println(report);
      origins(selected, out);
      // A detached SLURM run's jobs: queued, running or killed, beside what the manifests say.
      SlurmJobs.of(p.directory()).ifPresent(jobs -> out.println("\n" + jobs));
      for (String stray : p.strayUniverseDirectories()) {
        spec.commandLine()
            .getErr()
            .println(
                "lc: warning: results of '"
                    + stray
                    + "' are not shown: no universe of the current multiverse has that id (its"
                    + " decisions or options changed since it ran)");
      }
    }
    out.flush();
    return ExitCode.OK.code;
  }

  /**
   * When some universe is not a universe file's: which are enumerated (with their readable names)
   * and which is the default one. Nothing for universe files alone, whose ids are their names.
   */
  static void origins(List<ResolvedUniverse> universes, PrintWriter out) {
    if (universes.stream().allMatch(u -> u.origin() == ResolvedUniverse.Origin.FILE)) {
      return;
    }
    int width = "UNIVERSE".length();
    for (ResolvedUniverse u : universes) {
      width = Math.max(width, u.id().value().length());
    }
    String row = "%-" + width + "s  %-10s  %s%n";
    out.println();
    out.printf(java.util.Locale.ROOT, row, "UNIVERSE", "ORIGIN", "NAME");
    for (ResolvedUniverse u : universes) {
      out.printf(
          java.util.Locale.ROOT,
          row,
          u.id().value(),
          u.origin() == ResolvedUniverse.Origin.FILE ? "universes/" : u.origin().word(),
          u.name());
    }
  }

  /**
   * {@code {"universes": [{"universe_id", "outputs": [{"output_id", "analysis_id", "status",
   * "recipe_command", "reasons"}]}]}}: lightcone-cli's shape plus the reasons.
   */
  static void json(StatusReport report, Writer out) {
    json(report, List.of(), out);
  }

  /**
   * As {@link #json(StatusReport, Writer)}, each universe of {@code universes} also with its {@code
   * origin} ({@code file}, {@code enumerated}, {@code default}), {@code name} and {@code
   * decisions}.
   */
  static void json(StatusReport report, List<ResolvedUniverse> universes, Writer out) {
    Map<String, ResolvedUniverse> known = new LinkedHashMap<>();
    universes.forEach(u -> known.put(u.id().value(), u));
    Map<String, List<OutputStatus>> byUniverse = new LinkedHashMap<>();
    for (OutputStatus o : report.outputs()) {
      byUniverse.computeIfAbsent(o.universeId(), u -> new ArrayList<>()).add(o);
    }
    Json.write(
        out,
        g -> {
          g.writeStartObject();
          g.writeArrayFieldStart("universes");
          for (Map.Entry<String, List<OutputStatus>> u : byUniverse.entrySet()) {
            g.writeStartObject();
            g.writeStringField("universe_id", u.getKey());
            ResolvedUniverse universe = known.get(u.getKey());
            if (universe != null) {
              g.writeStringField("origin", universe.origin().word());
              g.writeStringField("name", universe.name());
              g.writeObjectFieldStart("decisions");
              for (var c : new java.util.TreeMap<>(universe.choices()).entrySet()) {
                g.writeStringField(c.getKey().toString(), c.getValue().value());
              }
              g.writeEndObject();
            }
            g.writeArrayFieldStart("outputs");
            for (OutputStatus o : u.getValue()) {
              g.writeStartObject();
              g.writeStringField("output_id", o.outputId());
              g.writeStringField("analysis_id", o.analysisId());
              g.writeStringField("status", o.state().word());
              Json.optionalString(g, "recipe_command", o.recipeCommand());
              Json.stringArray(g, "reasons", o.reasons());
              g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
          }
          g.writeEndArray();
          g.writeEndObject();
        });
  }
}
