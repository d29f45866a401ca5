package io.lightcone.cli;

import io.lightcone.core.CrateExport;
import io.lightcone.core.CrateOptions;
import io.lightcone.core.Project;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code lc export wrroc}: a Workflow Run RO-Crate of the up-to-date outputs. */
@Command(
    name = "wrroc",
    header = "Write a Workflow Run RO-Crate of the runs: spec, universes, inputs, outputs.",
    synopsisHeading = "%nUsage: ",
    descriptionHeading = "%n",
    description = {
      "An RO-Crate 1.1 (Process, Workflow and Provenance Run Crate 0.5): astra.yaml is the"
          + " workflow, each universe one run of it, each task one CreateAction with its decisions,"
          + " inputs, recipe and output (with its data_version). The output files, their"
          + " manifests, the universe files and the input files inside the project are copied"
          + " into the crate, which lc verify accepts too.",
      "",
      "Every exported output must be up to date (lc status: ok) and is re-hashed as it is"
          + " copied; otherwise nothing is written and the outputs are listed."
    },
    optionListHeading = "%nOptions:%n")
final class ExportWrrocCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin ProjectOption project;

  @Mixin UniverseOption universes;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "DIR",
      required = true,
      description =
          "The crate directory: must be new or empty. With --zip, the .zip file to write"
              + " (replaced if it exists).")
  Path output;

  @Option(
      names = "--zip",
      description = "Write one .zip (the crate at its root; same bytes for the same state).")
  boolean zip;

  @Option(
      names = "--partial",
      description =
          "Export only the up-to-date outputs (and those made only from them), leaving stale,"
              + " missing and failed ones out (each is named), instead of refusing.")
  boolean partial;

  @Option(
      names = Habits.JSON,
      description =
          "Print {\"crate\", \"zip\", \"task_runs\", \"files\", \"bytes\", \"left_out\"} as"
              + " JSON.")
  boolean json;

  @Override
  public Integer call() {
    CrateExport crate =
        Project.load(project.directory())
            .exportCrate(
                output,
                CrateOptions.builder()
                    .universes(universes.ids())
                    .zip(zip)
                    .partial(partial)
                    .build());
    PrintWriter err = spec.commandLine().getErr();
    for (String left : crate.leftOut()) {
      err.println("left out " + left);
    }
    err.flush();
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      Json.write(
          out,
          g -> {
            g.writeStartObject();
            g.writeStringField("crate", output.toString());
            g.writeBooleanField("zip", zip);
            g.writeNumberField("task_runs", crate.actions());
            g.writeNumberField("files", crate.files());
            g.writeNumberField("bytes", crate.bytes());
            Json.stringArray(g, "left_out", crate.leftOut());
            g.writeEndObject();
          });
      return ExitCode.OK.code;
    }
    out.println(
        "wrote "
            + output
            + ": "
            + crate.actions()
            + (crate.actions() == 1 ? " task run, " : " task runs, ")
            + crate.files()
            + " files, "
            + crate.bytes()
            + " bytes"
            + (crate.leftOut().isEmpty() ? "" : " (" + crate.leftOut().size() + " left out)"));
    out.flush();
    return ExitCode.OK.code;
  }
}
