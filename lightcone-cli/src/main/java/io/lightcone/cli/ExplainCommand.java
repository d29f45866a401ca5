package io.lightcone.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import io.lightcone.Explanation;
import io.lightcone.core.Project;
import io.lightcone.model.ResolvedUniverse;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code lc explain OUTPUT [-u U]}: the whole story of why one task is fresh or stale. */
@Command(
    name = "explain",
    header = "Tell why one output of one universe is fresh or stale.",
    synopsisHeading = "%nUsage: ",
    descriptionHeading = "%n",
    description = {
      "Prints the verdict (fresh, stale, missing, invalid) with its reasons, then each ingredient"
          + " of the output's code_version and each input's version, as the manifest recorded"
          + " them and as they are now."
    },
    parameterListHeading = "%nArguments:%n",
    optionListHeading = "%nOptions:%n")
final class ExplainCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin ProjectOption project;

  @Parameters(
      index = "0",
      paramLabel = "OUTPUT",
      description = "The output, by id or qualified id (calibration.zero_point).")
  String output;

  @Option(
      names = {"-u", "--universe"},
      paramLabel = "U",
      description =
          "The universe: an id (universes/*.yaml, mv-...), a name, or choices"
              + " ('fit_method=ols,magnitude=v_band'); may be left out when the project has exactly"
              + " one universe.")
  String universe;

  @Option(
      names = Habits.JSON,
      description =
          "Print {\"task\", \"verdict\", \"reasons\", \"code\": [...], \"inputs\": [...]} as"
              + " JSON (docs/commands.md).")
  boolean json;

  @Override
  public Integer call() {
    Project p = Project.load(project.directory());
    PrintWriter out = spec.commandLine().getOut();
    Explanation explanation = p.explain(output, universe == null ? onlyUniverse(p) : universe);
    if (json) {
      json(explanation, out);
    } else {
      out.println(explanation);
    }
    out.flush();
    return ExitCode.OK.code;
  }

  /**
   * {@code {"task", "universe", "output", "output_dir", "verdict", "reasons", "code": [{"name",
   * "then", "now", "changed"}], "inputs": [...]}}.
   */
  static void json(Explanation e, Writer out) {
    Json.write(
        out,
        g -> {
          g.writeStartObject();
          g.writeStringField("task", e.task().toString());
          g.writeStringField("universe", e.task().universe().value());
          g.writeStringField("output", e.task().output().toString());
          g.writeStringField("output_dir", e.outputDir());
          g.writeStringField("verdict", e.verdict());
          Json.stringArray(g, "reasons", e.reasons());
          rows(g, "code", e.code());
          rows(g, "inputs", e.inputs());
          g.writeEndObject();
        });
  }

  private static void rows(JsonGenerator g, String name, List<Explanation.Row> rows)
      throws IOException {
    g.writeArrayFieldStart(name);
    for (Explanation.Row r : rows) {
      g.writeStartObject();
      g.writeStringField("name", r.name());
      g.writeStringField("then", r.then());
      g.writeStringField("now", r.now());
      g.writeBooleanField("changed", r.changed());
      g.writeEndObject();
    }
    g.writeEndArray();
  }

  private String onlyUniverse(Project p) {
    List<String> ids =
        p.allUniverses().stream().map(ResolvedUniverse::id).map(u -> u.value()).toList();
    if (ids.size() == 1) {
      return ids.get(0);
    }
    throw new ParameterException(
        spec.commandLine(),
        ids.isEmpty()
            ? "the project has no universes/*.yaml; name a universe of the multiverse with -u mv-..."
                + " (lc plan --multiverse lists them)"
            : "the project has "
                + ids.size()
                + " universes; choose one with -u ("
                + String.join(", ", ids)
                + ")");
  }
}
