package io.lightcone.cli;

import io.lightcone.core.RunOptions;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The options of the plumbing commands ({@code lc task run}, {@code lc task serve}): the runner's
 * own, which {@code lc run} passes on, and the substrate to record in the manifest.
 */
final class TaskOptions {
  @Mixin RunnerOptions runner;

  @Option(
      names = "--substrate",
      paramLabel = "NAME",
      defaultValue = "local",
      description =
          "The substrate running the task, recorded in the manifest (default: ${DEFAULT-VALUE}).")
  String substrate;

  RunOptions runOptions() {
    return runner.builder().substrate(substrate).build();
  }
}
