package io.lightcone.cli;

import io.lightcone.Execution;
import io.lightcone.ExecutionReport;
import io.lightcone.LightconeException;
import io.lightcone.Plan;
import io.lightcone.TaskResult;
import io.lightcone.core.LocalSubstrate;
import io.lightcone.core.Project;
import io.lightcone.core.RunOptions;
import io.lightcone.dask.DaskDispatch;
import io.lightcone.dask.DaskSubstrate;
import io.lightcone.snakemake.SnakemakeSubstrate;
import io.lightcone.spi.Substrate;
import java.io.PrintWriter;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code lc run}: plans, then runs what is not fresh on this machine, with progress. Ctrl-C cancels
 * the execution — running recipes' process groups are killed and nothing half-done is published —
 * and exits 130.
 */
@Command(
    name = "run",
    header = "Run every task that is not fresh, on this machine.",
    synopsisHeading = "%nUsage: ",
    descriptionHeading = "%n",
    description = {
      "Plans as lc plan does, then runs the tasks to run: each recipe writes into a staging"
          + " directory, and its output is published with its manifest only when it succeeded."
          + " Prints a line per task (on a terminal, also a live status line) and a summary."
          + " Exits 0 when every task is ok, 1 when one failed or was skipped, 130 on Ctrl-C."
          + " One run per project at a time: a second one exits 1 naming .lightcone/lock."
    },
    parameterListHeading = "%nArguments:%n",
    optionListHeading = "%nOptions:%n")
final class RunCommand implements Callable<Integer> {
  /** How long Ctrl-C waits for running recipes to be killed and the run to wind up. */
  static final long INTERRUPT_GRACE_SECONDS = 10;

  private final CliEnvironment environment;

  @Spec CommandSpec spec;

  @Mixin ProjectOption project;

  @Mixin Selection selection;

  @Option(
      names = {"-j", "--jobs"},
      paramLabel = "N",
      description = "Run at most N tasks at once (default: one per cpu).")
  Integer jobs;

  @Option(
      names = "--keep-going",
      description = "After a failure, go on with every task that does not depend on it.")
  boolean keepGoing;

  @Option(
      names = "--retries",
      paramLabel = "N",
      defaultValue = "0",
      description = "Run a failed task again up to N more times (default: ${DEFAULT-VALUE}).")
  int retries;

  @Option(
      names = "--cpus",
      paramLabel = "X",
      description = "The cpus tasks may use together (default: this machine's).")
  Double cpus;

  @Option(
      names = "--memory",
      paramLabel = "M",
      description = "The memory tasks may use together, e.g. 8Gi (default: this machine's).")
  String memory;

  @Option(
      names = "--gpus",
      paramLabel = "G",
      description = "The gpus tasks may use together (default: 0).")
  Integer gpus;

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

  @Option(
      names = "--substrate",
      paramLabel = "NAME",
      defaultValue = "local",
      description =
          "Where tasks run: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}). snakemake runs"
              + " the real snakemake (7.x; apt-get install snakemake) on .lightcone/Snakefile; dask"
              + " runs on a Dask cluster: DASK_SCHEDULER_ADDRESS's, else one worker per node inside a"
              + " SLURM allocation, else one on this machine (apt-get install python3-distributed);"
              + " -j, --keep-going and --retries apply, --cpus/--memory/--gpus are local's.",
      completionCandidates = Substrates.class)
  String substrate;

  @Option(
      names = "--dispatch",
      paramLabel = "NAME",
      description =
          "With --substrate snakemake: where snakemake sends its jobs, through its cluster hooks:"
              + " dask (a Dask cluster, found as for --substrate dask). Default: this machine.")
  String dispatch;

  RunCommand() {
    this(CliEnvironment.system());
  }

  /** For tests: {@code environment} decides terminal or not, Ctrl-C, and the clock. */
  RunCommand(CliEnvironment environment) {
    this.environment = Objects.requireNonNull(environment, "environment");
  }

  @Override
  public Integer call() {
    Substrate chosen = substrate();
    Project p = Project.load(project.directory());
    Plan plan =
        p.plan(
            selection.options(),
            cache
                .applyTo(runtime.applyTo(sandbox.applyTo(RunOptions.builder())))
                .strictInputs(strictInputs)
                .keepFailed(keepFailed)
                .substrate(substrate)
                .cache(!noCache)
                .build());
    PrintWriter out = spec.commandLine().getOut();
    Reports.warnings(plan, spec.commandLine().getErr());
    Progress progress =
        environment.interactive()
            ? new TtyProgress(out, p.directory(), environment.nanoTime(), environment.columns())
            : new PlainProgress(out, p.directory(), environment.nanoTime());

    AtomicReference<Execution> running = new AtomicReference<>();
    AtomicBoolean interrupted = new AtomicBoolean();
    CountDownLatch reported = new CountDownLatch(1);
    ScheduledExecutorService ticker = null;
    Runnable onInterrupt =
        () -> {
          interrupted.set(true);
          Execution execution = running.get();
          if (execution != null) {
            execution.cancel();
          }
          // The process ends when this returns: give the run time to kill its recipes, unpublish
          // nothing, and print its summary.
          awaitQuietly(reported);
        };
    try (Interrupts.Handle hook = environment.interrupts().onInterrupt(onInterrupt)) {
      Execution execution = plan.start(announcing(chosen, progress), progress);
      running.set(execution);
      if (interrupted.get()) {
        execution.cancel(); // the interrupt came while the execution was starting
      }
      if (environment.interactive()) {
        ticker = ticker(progress);
      }
      ExecutionReport report = execution.await();
      if (ticker != null) {
        ticker.shutdownNow();
      }
      boolean cancelled =
          interrupted.get()
              || report.results().stream()
                  .anyMatch(r -> r.outcome() == TaskResult.Outcome.CANCELLED);
      progress.summary(report, cancelled);
      if (cancelled) {
        return ExitCode.INTERRUPTED.code;
      }
      return report.succeeded() ? ExitCode.OK.code : ExitCode.FAILED.code;
    } finally {
      if (ticker != null) {
        ticker.shutdownNow();
      }
      reported.countDown();
    }
  }

  /** The substrate as the options configure it; a bad value is a usage error. */
  private Substrate substrate() {
    Substrate found = Substrates.required(spec.commandLine(), substrate);
    if (dispatch != null && !(found instanceof SnakemakeSubstrate)) {
      throw new ParameterException(
          spec.commandLine(),
          "--dispatch applies to --substrate snakemake; "
              + substrate
              + " runs its tasks itself (--substrate dask runs them on Dask without snakemake)");
    }
    if (dispatch != null && !dispatch.equals("dask")) {
      throw new ParameterException(
          spec.commandLine(),
          "--dispatch '" + dispatch + "' is not available; snakemake dispatches to: dask");
    }
    if (found instanceof LocalSubstrate local) {
      return local(local);
    }
    localOnly("--cpus", cpus);
    localOnly("--memory", memory);
    localOnly("--gpus", gpus);
    if (found instanceof SnakemakeSubstrate snakemake) {
      snakemake = option("--keep-going", snakemake, s -> s.keepGoing(keepGoing));
      snakemake = option("--retries", snakemake, s -> s.retries(retries));
      if (jobs != null) {
        snakemake = option("-j/--jobs", snakemake, s -> s.jobs(jobs));
      }
      return snakemake;
    }
    if (found instanceof DaskSubstrate dask) {
      dask = option("--keep-going", dask, d -> d.keepGoing(keepGoing));
      dask = option("--retries", dask, d -> d.retries(retries));
      if (jobs != null) {
        dask = option("-j/--jobs", dask, d -> d.jobs(jobs));
      }
      return dask;
    }
    return found;
  }

  /** The budget options are the local substrate's; elsewhere they would silently not apply. */
  private void localOnly(String option, Object value) {
    if (value != null) {
      throw new ParameterException(
          spec.commandLine(),
          option
              + " budgets the local substrate; "
              + substrate
              + " schedules by each recipe's resources and -j");
    }
  }

  private LocalSubstrate local(LocalSubstrate local) {
    local = option("--keep-going", local, l -> l.keepGoing(keepGoing));
    local = option("--retries", local, l -> l.retries(retries));
    if (jobs != null) {
      local = option("-j/--jobs", local, l -> l.jobs(jobs));
    }
    if (cpus != null) {
      local = option("--cpus", local, l -> l.cpus(cpus));
    }
    if (memory != null) {
      local = option("--memory", local, l -> l.memory(memory));
    }
    if (gpus != null) {
      local = option("--gpus", local, l -> l.gpus(gpus));
    }
    return local;
  }

  /** A Dask substrate or dispatch says where its cluster is (and its dashboard) once it is up. */
  private Substrate announcing(Substrate substrate, Progress progress) {
    if (substrate instanceof DaskSubstrate dask) {
      return dask.onCluster(c -> progress.note(c.toString()));
    }
    if (substrate instanceof SnakemakeSubstrate snakemake && dispatch != null) {
      return snakemake.dispatch(DaskDispatch.create().onCluster(c -> progress.note(c.toString())));
    }
    return substrate;
  }

  /** Applies one option; the substrate's objection becomes a usage error naming the option. */
  private <S> S option(String name, S substrate, UnaryOperator<S> setting) {
    try {
      return setting.apply(substrate);
    } catch (LightconeException e) {
      throw new ParameterException(spec.commandLine(), name + ": " + e.getMessage(), e);
    }
  }

  /** Redraws the status line every second, so that elapsed time and ETA move between events. */
  private static ScheduledExecutorService ticker(Progress progress) {
    ScheduledExecutorService ticker =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "lc-progress");
              t.setDaemon(true);
              return t;
            });
    ticker.scheduleAtFixedRate(progress::tick, 1, 1, TimeUnit.SECONDS);
    return ticker;
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await(INTERRUPT_GRACE_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
