package io.lightcone.cli;

import io.lightcone.core.Project;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code lc export archive}: one {@code .tar.zst} that {@code lc verify} accepts elsewhere. */
@Command(
    name = "archive",
    header = "Write spec, universes, inputs, results and manifests to one .tar.zst.",
    synopsisHeading = "%nUsage: ",
    descriptionHeading = "%n",
    description = {
      "The archive holds astra.yaml, every path: sub-analysis's astra.yaml, the selected"
          + " universe files, the input files inside the project (with their mtimes, which their"
          + " versions depend on) and the selected universes' results with their manifests."
          + " Unpack it anywhere (tar --zstd -xf FILE) and lc verify and lc status work there."
          + " Two exports of the same state are byte-identical."
    },
    optionListHeading = "%nOptions:%n")
final class ExportArchiveCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin ProjectOption project;

  @Mixin UniverseOption universes;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FILE",
      required = true,
      description = "The archive to write, e.g. results.tar.zst (replaced if it exists).")
  Path output;

  @Option(names = Habits.JSON, description = "Print {\"archive\", \"entries\": [...]} as JSON.")
  boolean json;

  @Override
  public Integer call() {
    List<String> entries = Project.load(project.directory()).exportArchive(output, universes.ids());
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      Json.write(
          out,
          g -> {
            g.writeStartObject();
            g.writeStringField("archive", output.toString());
            Json.stringArray(g, "entries", entries);
            g.writeEndObject();
          });
    } else {
      out.println("wrote " + output + ": " + entries.size() + " entries");
    }
    out.flush();
    return ExitCode.OK.code;
  }
}
