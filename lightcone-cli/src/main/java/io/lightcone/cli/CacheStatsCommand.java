package io.lightcone.cli;

import io.lightcone.core.ContentCache;
import io.lightcone.core.Project;
import io.lightcone.core.RunOptions;
import java.io.PrintWriter;
import java.io.Writer;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code lc cache stats}: how much the cache holds and how often it helped. */
@Command(
    name = "stats",
    header = "Show the cache's entries, blobs, stored vs. logical bytes and recent hit rate.",
    synopsisHeading = "%nUsage: ",
    descriptionHeading = "%n",
    description = {
      "Entries are cached outputs; blobs are distinct file contents (identical files are"
          + " stored once). Stored bytes are on disk, compressed; logical bytes are what the"
          + " cached outputs add up to. The hit rate covers the most recent 1,000 lookups."
    },
    optionListHeading = "%nOptions:%n")
final class CacheStatsCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin ProjectOption project;

  @Mixin CacheOption cache;

  @Option(
      names = "--json",
      description =
          "Print {\"directory\", \"entries\", \"blobs\", \"stored_bytes\", \"logical_bytes\","
              + " \"hits\", \"lookups\", \"hardlinked_bytes\", \"reflinked_bytes\"} as JSON"
              + " instead.")
  boolean json;

  @Override
  public Integer call() {
    ContentCache c =
        Project.load(project.directory()).cache(cache.applyTo(RunOptions.builder()).build());
    ContentCache.Stats stats = c.stats();
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      json(c, stats, out);
    } else {
      out.println("cache " + c.directory() + ": " + stats);
    }
    out.flush();
    return ExitCode.OK.code;
  }

  static void json(ContentCache c, ContentCache.Stats s, Writer out) {
    Json.write(
        out,
        g -> {
          g.writeStartObject();
          g.writeStringField("directory", c.directory().toString());
          g.writeNumberField("entries", s.entries());
          g.writeNumberField("blobs", s.blobs());
          g.writeNumberField("stored_bytes", s.storedBytes());
          g.writeNumberField("logical_bytes", s.logicalBytes());
          g.writeNumberField("hits", s.hits());
          g.writeNumberField("lookups", s.lookups());
          g.writeNumberField("hardlinked_bytes", s.hardlinkedBytes());
          g.writeNumberField("reflinked_bytes", s.reflinkedBytes());
          g.writeEndObject();
        });
  }
}
