package io.lightcone.cli;

import io.lightcone.core.ContentCache;
import io.lightcone.core.Project;
import io.lightcone.core.RunOptions;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code lc cache verify}: re-hashes every blob. */
@Command(
    name = "verify",
    header = "Re-hash every blob in the cache; exit 1 naming the damaged ones.",
    synopsisHeading = "%nUsage: ",
    descriptionHeading = "%n",
    description = {
      "A damaged blob never reaches an output (a restored tree is re-hashed before it is"
          + " published, and a mismatch re-runs the recipe), but it costs a run each time;"
          + " lc cache gc removes entries that use it once they are least recently used."
    },
    optionListHeading = "%nOptions:%n")
final class CacheVerifyCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin ProjectOption project;

  @Mixin CacheOption cache;

  @Option(
      names = Habits.JSON,
      description = "Print {\"directory\", \"damaged\": [digest, ...]} as JSON.")
  boolean json;

  @Override
  public Integer call() {
    ContentCache c =
        Project.load(project.directory()).cache(cache.applyTo(RunOptions.builder()).build());
    List<String> damaged = c.verify();
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      Json.write(
          out,
          g -> {
            g.writeStartObject();
            g.writeStringField("directory", c.directory().toString());
            Json.stringArray(g, "damaged", damaged);
            g.writeEndObject();
          });
      return damaged.isEmpty() ? ExitCode.OK.code : ExitCode.FAILED.code;
    }
    for (String digest : damaged) {
      out.println("damaged blob: " + digest);
    }
    if (damaged.isEmpty()) {
      out.println("cache " + c.directory() + ": every blob is sound.");
    } else {
      out.println("cache " + c.directory() + ": " + damaged.size() + " damaged blob(s).");
    }
    out.flush();
    return damaged.isEmpty() ? ExitCode.OK.code : ExitCode.FAILED.code;
  }
}
