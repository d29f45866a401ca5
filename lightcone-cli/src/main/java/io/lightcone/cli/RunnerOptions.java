package io.lightcone.cli;

import io.lightcone.core.RunOptions;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The options the task runner honours, the same on {@code lc run} and on the plumbing commands
 * ({@code lc task run}, {@code lc task serve}) that {@code lc run} passes them to, so that a task
 * run in another process writes the manifest this one would have written.
 */
final class RunnerOptions {
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
      description =
          "Neither restore outputs from the content-addressed cache nor store new ones in it.")
  boolean noCache;

  @Mixin CacheOption cache;

  @Mixin RuntimeOption runtime;

  @Mixin SandboxOption sandbox;

  /** Run options with these set; the caller adds the substrate. */
  RunOptions.Builder builder() {
    return cache
        .applyTo(runtime.applyTo(sandbox.applyTo(RunOptions.builder())))
        .strictInputs(strictInputs)
        .keepFailed(keepFailed)
        .cache(!noCache);
  }
}
