package io.lightcone.cli;

import io.lightcone.DecisionSpread;
import io.lightcone.FieldSummary;
import io.lightcone.ResultRow;
import io.lightcone.Results;
import io.lightcone.ResultsOptions;
import io.lightcone.core.Project;
import io.lightcone.core.SpecificationCurve;
import io.lightcone.model.OptionId;
import io.lightcone.model.QualifiedDecisionId;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code lc results}: metric values across universes, from fresh and verified outputs only. */
@Command(
    name = "results",
    header = "Tabulate metric values across universes, with each universe's choices.",
    synopsisHeading = "%nUsage: ",
    descriptionHeading = "%n",
    description = {
      "Prints one row per universe: its option for every decision, then the number at each"
          + " FIELD (OUTPUT.FIELD: distance.distance_modulus is field distance_modulus of the JSON"
          + " of metric output distance; dots go into nested objects). Only outputs that are"
          + " fresh and whose bytes match their manifest are read; universes whose outputs are"
          + " stale, missing, failed, tampered or lack a number are listed with the reason"
          + " (--include-stale shows their values, marked). Under the table: how many"
          + " universes, and per field min / median / max over the ok ones and, per decision,"
          + " how far the median moves between its options. Exits 1 when an output read does"
          + " not match its manifest (as lc verify)."
    },
    optionListHeading = "%nOptions:%n")
final class ResultsCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin ProjectOption project;

  @Mixin UniverseOption universes;

  @Parameters(
      paramLabel = "FIELD",
      arity = "1..*",
      description = "OUTPUT.FIELD, e.g. distance.distance_modulus pl_fit.slope.")
  List<String> fields = new ArrayList<>();

  @Option(
      names = "--plot",
      paramLabel = "FILE",
      description =
          "Also draw the first FIELD's specification curve (universes ranked by the value, over"
              + " which option each chose) into FILE: .svg or .png.")
  Path plot;

  @Option(
      names = "--include-stale",
      description = "Show the values of stale, failed and tampered outputs too, marked.")
  boolean includeStale;

  @Option(
      names = "--interval",
      paramLabel = "LO,HI",
      description =
          "Two fields of the first FIELD's JSON, the interval around each value (e.g. ci_low,"
              + "ci_high).")
  String interval;

  @ArgGroup(exclusive = true, multiplicity = "0..1")
  Format format = new Format();

  /** {@code --csv} and {@code --json} exclude each other. */
  static final class Format {
    @Option(
        names = "--csv",
        description = "Print every universe as CSV: universe, decisions, fields, state, reasons.")
    boolean csv;

    @Option(names = "--json", description = "Print rows and summaries as JSON (docs/results.md).")
    boolean json;
  }

  @Override
  public Integer call() {
    if (plot != null && !plot.toString().endsWith(".svg") && !plot.toString().endsWith(".png")) {
      throw new ParameterException(
          spec.commandLine(), "--plot '" + plot + "' must end in .svg or .png");
    }
    if (plot != null && format != null && (format.json || format.csv)) {
      throw new ParameterException(
          spec.commandLine(), "--plot draws a picture: leave out --csv and --json, or --plot");
    }
    ResultsOptions.Builder options =
        ResultsOptions.builder()
            .addAllFields(fields)
            .addAllUniverses(universes.ids())
            .includeStale(includeStale);
    if (interval != null) {
      options.interval(interval());
    }
    Results results = Project.load(project.directory()).results(options.build());
    PrintWriter out = spec.commandLine().getOut();
    if (plot != null) {
      SpecificationCurve curve = SpecificationCurve.of(results, results.fields().get(0));
      if (plot.toString().endsWith(".png")) {
        curve.writePng(plot);
      } else {
        curve.writeSvg(plot);
      }
      spec.commandLine()
          .getErr()
          .println(
              "lc: wrote the specification curve of "
                  + results.fields().get(0)
                  + " ("
                  + curve.ranked().size()
                  + " universes) to "
                  + plot);
    }
    Format f = format == null ? new Format() : format;
    if (f.json) {
      json(results, out);
    } else if (f.csv) {
      out.print(results.toCsv());
    } else {
      out.println(results);
    }
    out.flush();
    return results.hasTampered() ? ExitCode.FAILED.code : ExitCode.OK.code;
  }

  private List<String> interval() {
    String[] parts = interval.split(",", -1);
    if (parts.length != 2 || parts[0].isBlank() || parts[1].isBlank()) {
      throw new ParameterException(
          spec.commandLine(),
          "--interval '"
              + interval
              + "' is not LO,HI: name two fields of the first FIELD's JSON, e.g. --interval"
              + " ci_low,ci_high");
    }
    return List.of(parts[0].strip(), parts[1].strip());
  }

  /**
   * {@code {"fields", "decisions", "include_stale", "interval", "rows": [{"universe_id", "choices",
   * "values", "interval", "state", "reasons"}], "summary": {"universes", "counts", "fields":
   * [{"field", "count", "min", "median", "max", "decisions": [{"decision", "spread", "medians",
   * "counts"}]}]}}}, documented in docs/results.md.
   */
  static void json(Results results, Writer out) {
    Json.write(
        out,
        g -> {
          g.writeStartObject();
          Json.stringArray(g, "fields", results.fields());
          Json.stringArray(
              g, "decisions", results.decisions().stream().map(Object::toString).toList());
          g.writeBooleanField("include_stale", results.includeStale());
          if (results.interval().isPresent()) {
            Json.stringArray(g, "interval", results.interval().get());
          } else {
            g.writeNullField("interval");
          }
          g.writeArrayFieldStart("rows");
          for (ResultRow r : results.rows()) {
            g.writeStartObject();
            g.writeStringField("universe_id", r.universe().value());
            g.writeObjectFieldStart("choices");
            for (Map.Entry<QualifiedDecisionId, OptionId> c : r.choices().entrySet()) {
              g.writeStringField(c.getKey().toString(), c.getValue().value());
            }
            g.writeEndObject();
            g.writeObjectFieldStart("values");
            for (String field : results.fields()) {
              Double v = r.values().get(field);
              if (v == null) {
                g.writeNullField(field);
              } else {
                g.writeNumberField(field, v);
              }
            }
            g.writeEndObject();
            if (r.interval().isPresent()) {
              g.writeObjectFieldStart("interval");
              g.writeNumberField("low", r.interval().get().low());
              g.writeNumberField("high", r.interval().get().high());
              g.writeEndObject();
            } else {
              g.writeNullField("interval");
            }
            g.writeStringField("state", r.state().word());
            Json.stringArray(g, "reasons", r.reasons());
            g.writeEndObject();
          }
          g.writeEndArray();
          g.writeObjectFieldStart("summary");
          g.writeNumberField("universes", results.rows().size());
          g.writeObjectFieldStart("counts");
          for (Map.Entry<ResultRow.State, Integer> c : results.counts().entrySet()) {
            g.writeNumberField(c.getKey().word(), c.getValue());
          }
          g.writeEndObject();
          g.writeArrayFieldStart("fields");
          for (FieldSummary s : results.summaries()) {
            g.writeStartObject();
            g.writeStringField("field", s.field());
            g.writeNumberField("count", s.count());
            g.writeNumberField("min", s.min());
            g.writeNumberField("median", s.median());
            g.writeNumberField("max", s.max());
            g.writeArrayFieldStart("decisions");
            for (DecisionSpread d : s.spreads()) {
              g.writeStartObject();
              g.writeStringField("decision", d.decision().toString());
              g.writeNumberField("spread", d.spread());
              g.writeObjectFieldStart("medians");
              for (Map.Entry<OptionId, Double> m : d.medians().entrySet()) {
                g.writeNumberField(m.getKey().value(), m.getValue());
              }
              g.writeEndObject();
              g.writeObjectFieldStart("counts");
              for (Map.Entry<OptionId, Integer> m : d.counts().entrySet()) {
                g.writeNumberField(m.getKey().value(), m.getValue());
              }
              g.writeEndObject();
              g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
          }
          g.writeEndArray();
          g.writeEndObject();
          g.writeEndObject();
        });
  }
}
