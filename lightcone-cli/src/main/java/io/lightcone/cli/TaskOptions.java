package io.lightcone.cli;

import io.lightcone.core.RunOptions;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The run options of the plumbing commands ({@code lc task run}, {@code lc task serve}): those the
 * task runner honours, which {@code lc run} passes on so that a task run in another process writes
 * the manifest that process would have written.
 */
final class TaskOptions {
  @Option(
      names = "--strict-inputs",
      description =
          "Version external input files by their content (SHA-256), not by mtime and size.")
  boolean strictInputs;

  @Option(
      names = "--keep-failed",
      description = "Keep a failed attempt's output under .lightcone/failed/ for inspection.")
  boolean keepFailed;

  @Option(
      names = "--no-cache",
      description = "Neither restore the output from the cache nor store it there.")
  boolean noCache;

  @Mixin CacheOption cache;

  @Mixin RuntimeOption runtime;

  @Mixin SandboxOption sandbox;

  @Option(
      names = "--substrate",
      paramLabel = "NAME",
      defaultValue = "local",
      description =
          "The substrate running the task, recorded in the manifest (default: ${DEFAULT-VALUE}).")
  String substrate;

  RunOptions runOptions() {
    return cache
        .applyTo(runtime.applyTo(sandbox.applyTo(RunOptions.builder())))
        .strictInputs(strictInputs)
        .keepFailed(keepFailed)
        .substrate(substrate)
        .cache(!noCache)
        .build();
  }
}
