package io.lightcone.cli;

import io.lightcone.OutputStatus;
import io.lightcone.StatusReport;
import io.lightcone.core.Project;
import io.lightcone.core.RunOptions;
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
    PrintWriter out = spec.commandLine().getOut();
    p.sandboxWarning(RunOptions.builder().sandboxFallback(true).build())
        .ifPresent(w -> spec.commandLine().getErr().println("lc: warning: " + w));
    spec.commandLine().getErr().flush();
    if (json) {
      json(report, out);
    } else {
      out.println(report);
    }
    out.flush();
    return ExitCode.OK.code;
  }

  /**
   * {@code {"universes": [{"universe_id", "outputs": [{"output_id", "analysis_id", "status",
   * "recipe_command", "reasons"}]}]}}: lightcone-cli's shape plus the reasons.
   */
  static void json(StatusReport report, Writer out) {
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
