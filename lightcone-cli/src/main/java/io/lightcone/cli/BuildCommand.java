package io.lightcone.cli;

import io.lightcone.ImageBuild;
import io.lightcone.core.Project;
import java.io.PrintWriter;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code lc build}: builds every Containerfile image the recipes declare under its content tag, and
 * pulls every image name, unless it is present already.
 */
@Command(
    name = "build",
    header = "Build (or pull) the container images the recipes declare.",
    synopsisHeading = "%nUsage: ",
    descriptionHeading = "%n",
    description = {
      "For every container: a recipe, sub-analysis or the root declares, makes the image present"
          + " in the container runtime's store. A Containerfile is built under its content tag,"
          + " lc-<project>-<12 hex>, from a build context (the project directory) staged with"
          + " exactly the files the tag hashes: the Containerfile, the dependency files at the"
          + " project root and the COPY/ADD sources. An image name is pulled. Images already"
          + " present are left alone. The runtime's output goes to .lightcone/logs/build/ and,"
          + " indented, to stdout. Exits 0 when every image is present, 1 when one failed, 4"
          + " without a container runtime."
    },
    optionListHeading = "%nOptions:%n")
final class BuildCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin ProjectOption project;

  @Mixin RuntimeOption runtime;

  @Option(
      names = "--force",
      description = "Build (without the layer cache) or pull every image, even those present.")
  boolean force;

  @Option(
      names = Habits.JSON,
      description =
          "Print {\"images\": [...], \"counts\": {...}} as JSON, without the runtime's output"
              + " (it stays in .lightcone/logs/build/).")
  boolean json;

  @Override
  public Integer call() {
    Project p = Project.load(project.directory());
    PrintWriter out = spec.commandLine().getOut();
    List<ImageBuild> builds =
        p.buildImages(
            runtime.value(),
            force,
            line -> {
              if (!json) {
                out.println("    | " + line);
                out.flush();
              }
            });
    if (json) {
      json(builds, out);
      return builds.stream().anyMatch(b -> b.outcome() == ImageBuild.Outcome.FAILED)
          ? ExitCode.FAILED.code
          : ExitCode.OK.code;
    }
    if (builds.isEmpty()) {
      out.println("no recipe declares a container: nothing to build");
      out.flush();
      return ExitCode.OK.code;
    }
    Map<ImageBuild.Outcome, Integer> counts = new EnumMap<>(ImageBuild.Outcome.class);
    for (ImageBuild b : builds) {
      counts.merge(b.outcome(), 1, Integer::sum);
      StringBuilder line = new StringBuilder(b.outcome().word()).append(' ').append(b.identity());
      b.containerfile().ifPresent(f -> line.append(" (from ").append(f).append(')'));
      if (b.outcome() == ImageBuild.Outcome.BUILT || b.outcome() == ImageBuild.Outcome.PULLED) {
        line.append(" in ").append(Progress.duration(b.duration()));
      }
      if (!b.detail().isEmpty()) {
        line.append(": ").append(b.detail());
      }
      out.println(line);
    }
    StringBuilder summary =
        new StringBuilder()
            .append(builds.size())
            .append(builds.size() == 1 ? " image:" : " images:");
    String sep = " ";
    for (Map.Entry<ImageBuild.Outcome, Integer> c : counts.entrySet()) {
      summary.append(sep).append(c.getValue()).append(' ').append(c.getKey().word());
      sep = ", ";
    }
    out.println(summary);
    out.flush();
    return counts.containsKey(ImageBuild.Outcome.FAILED) ? ExitCode.FAILED.code : ExitCode.OK.code;
  }

  /**
   * {@code {"images": [{"spec", "image", "containerfile", "outcome", "seconds", "detail", "log"}],
   * "counts": {"built": 1}}}.
   */
  static void json(List<ImageBuild> builds, PrintWriter out) {
    Map<ImageBuild.Outcome, Integer> counts = new EnumMap<>(ImageBuild.Outcome.class);
    builds.forEach(b -> counts.merge(b.outcome(), 1, Integer::sum));
    Json.write(
        out,
        g -> {
          g.writeStartObject();
          g.writeArrayFieldStart("images");
          for (ImageBuild b : builds) {
            g.writeStartObject();
            g.writeStringField("spec", b.spec());
            g.writeStringField("image", b.identity());
            Json.optionalString(g, "containerfile", b.containerfile());
            g.writeStringField("outcome", b.outcome().word());
            g.writeNumberField("seconds", Math.max(0, b.duration().toMillis()) / 1000.0);
            g.writeStringField("detail", b.detail());
            Json.optionalString(g, "log", b.log());
            g.writeEndObject();
          }
          g.writeEndArray();
          g.writeObjectFieldStart("counts");
          for (Map.Entry<ImageBuild.Outcome, Integer> c : counts.entrySet()) {
            g.writeNumberField(c.getKey().word(), c.getValue());
          }
          g.writeEndObject();
          g.writeEndObject();
        });
  }
}
