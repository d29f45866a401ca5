package io.lightcone.cli;

import io.lightcone.TaskResult;
import io.lightcone.core.Project;
import io.lightcone.core.TaskProtocol;
import io.lightcone.spi.CancellationSignal;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code lc task run --project DIR TASK_ID --expect-code-version CV}: runs one task exactly as
 * {@code lc run} would (DESIGN §2) — re-derive and check {@code code_version}, check inputs, run
 * into staging, publish with a manifest. The recipe's output goes to its log under {@code
 * .lightcone/logs/}; only the result line is printed.
 */
@Command(
    name = "run",
    header = "Plumbing: run one task through the task runner and publish its output.",
    synopsisHeading = "%nUsage: ",
    descriptionHeading = "%n",
    description = {
      "What out-of-process substrates (Snakemake rules, Dask workers, SLURM steps) run for each"
          + " task. Fails the task when the spec changed since planning (code_version differs)."
          + " Prints one result line; the recipe's output is in .lightcone/logs/<universe>/."
          + " Exits 0 when the task succeeded, 1 when it failed."
    },
    parameterListHeading = "%nArguments:%n",
    optionListHeading = "%nOptions:%n")
final class TaskRunCommand implements Callable<Integer> {
  private final CliEnvironment environment;

  @Spec CommandSpec spec;

  @Mixin ProjectOption project;

  @Parameters(
      index = "0",
      paramLabel = "TASK_ID",
      description = "The task, <universe>/<qualified output id>, e.g. baseline/pl_fit.")
  String taskId;

  @Option(
      names = "--expect-code-version",
      paramLabel = "CV",
      required = true,
      description =
          "The code_version the plan computed (sha256:...); the task fails if it differs.")
  String codeVersion;

  @Mixin TaskOptions options;

  @Option(
      names = "--result-file",
      paramLabel = "FILE",
      description =
          "Also write how the task ended to FILE as one JSON object (TaskProtocol, version 1),"
              + " whole or not at all, for a substrate that reads it back.")
  Path resultFile;

  TaskRunCommand() {
    this(CliEnvironment.system());
  }

  /** For tests: {@code environment} decides how interrupts reach the command. */
  TaskRunCommand(CliEnvironment environment) {
    this.environment = environment;
  }

  @Override
  public Integer call() {
    Project p = Project.load(project.directory());
    // SIGTERM or Ctrl-C (a batch system cancelling the job, a worker going away): the runner kills
    // the recipe and removes its staging before the process ends.
    CancellationSignal signal = new CancellationSignal();
    CountDownLatch ended = new CountDownLatch(1);
    TaskResult result;
    try (Interrupts.Handle hook =
        environment
            .interrupts()
            .onInterrupt(
                () -> {
                  signal.cancel();
                  try {
                    ended.await(RunCommand.INTERRUPT_GRACE_SECONDS, TimeUnit.SECONDS);
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                })) {
      result = p.runTask(taskId, codeVersion, options.runOptions(), signal);
    } finally {
      ended.countDown();
    }
    PrintWriter out = spec.commandLine().getOut();
    for (String warning : result.warnings()) {
      out.println("warning: " + result.task() + ": " + warning);
    }
    out.println(Progress.resultLine(result));
    out.flush();
    if (resultFile != null) {
      TaskProtocol.write(result, resultFile);
    }
    return result.outcome().ok() ? ExitCode.OK.code : ExitCode.FAILED.code;
  }
}
