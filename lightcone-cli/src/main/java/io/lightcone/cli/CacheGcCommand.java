package io.lightcone.cli;

import io.lightcone.core.ContentCache;
import io.lightcone.core.Project;
import io.lightcone.core.RunOptions;
import io.lightcone.model.Resources;
import java.io.PrintWriter;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code lc cache gc}: drops least recently used entries and unreferenced blobs. */
@Command(
    name = "gc",
    header = "Shrink the cache: least recently used entries first.",
    synopsisHeading = "%nUsage: ",
    descriptionHeading = "%n",
    description = {
      "Removes blobs no entry references and leftovers of interrupted writes; with --max-size,"
          + " also removes least recently used entries until the cache fits. A blob a kept"
          + " entry references is never removed. Safe while other runs use the cache: a run"
          + " that misses a removed entry simply runs its recipe."
    },
    optionListHeading = "%nOptions:%n")
final class CacheGcCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin ProjectOption project;

  @Mixin CacheOption cache;

  @Option(
      names = "--max-size",
      paramLabel = "SIZE",
      description = "Keep the cache at most this big, e.g. 10Gi or 500MB (default: no limit).")
  String maxSize;

  @Option(
      names = "--keep-referenced",
      description = "Never remove an entry that this project's current outputs were made from.")
  boolean keepReferenced;

  @Override
  public Integer call() {
    long limit = limit();
    ContentCache c =
        Project.load(project.directory()).cache(cache.applyTo(RunOptions.builder()).build());
    ContentCache.Collected collected = c.gc(limit, keepReferenced);
    PrintWriter out = spec.commandLine().getOut();
    out.println("cache " + c.directory() + ": " + collected);
    out.println("now: " + c.stats());
    out.flush();
    return ExitCode.OK.code;
  }

  private long limit() {
    if (maxSize == null) {
      return -1;
    }
    OptionalLong bytes = Resources.parseBytes(maxSize);
    if (bytes.isEmpty()) {
      throw new ParameterException(
          spec.commandLine(),
          "--max-size '" + maxSize + "' is not a size; write e.g. 10Gi, 500MB or 1000000");
    }
    return bytes.getAsLong();
  }
}
