package io.lightcone.cli;

import io.lightcone.core.Project;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code lc report -o report.html}: one self-contained HTML page about the project. */
@Command(
    name = "report",
    header = "Write one self-contained HTML report of the project.",
    synopsisHeading = "%nUsage: ",
    descriptionHeading = "%n",
    description = {
      "Writes the project and its decisions, the universes × decisions table, every output's"
          + " status, verification and provenance, a timeline of the last run, a specification"
          + " curve for each numeric field of each metric output, the figures and the log tail of"
          + " each failed task into one HTML file that opens offline (nothing is fetched)."
    },
    optionListHeading = "%nOptions:%n",
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:written (also when outputs failed: the report shows them)",
      "2:usage error",
      "3:invalid project"
    })
final class ReportCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin ProjectOption project;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FILE",
      description = "Where to write the report (default: report.html in the project).")
  Path output;

  @Override
  public Integer call() {
    Project p = Project.load(project.directory());
    Path file = output == null ? p.directory().resolve("report.html") : output;
    p.report(file);
    PrintWriter out = spec.commandLine().getOut();
    long size;
    try {
      size = Files.size(file);
    } catch (java.io.IOException e) {
      size = -1;
    }
    out.println("wrote " + file + (size >= 0 ? " (" + (size + 1023) / 1024 + " KiB)" : ""));
    out.flush();
    return ExitCode.OK.code;
  }
}
