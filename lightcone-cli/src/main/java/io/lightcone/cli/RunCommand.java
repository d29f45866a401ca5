package io.lightcone.cli;

import io.lightcone.Execution;
import io.lightcone.ExecutionReport;
import io.lightcone.LightconeException;
import io.lightcone.Plan;
import io.lightcone.TaskResult;
import io.lightcone.core.LocalSubstrate;
import io.lightcone.core.Project;
import io.lightcone.dask.DaskDispatch;
import io.lightcone.dask.DaskSubstrate;
import io.lightcone.slurm.DaskClusters;
import io.lightcone.slurm.SlurmSubstrate;
import io.lightcone.snakemake.SnakemakeSubstrate;
import io.lightcone.spi.SchedulingOptions;
import io.lightcone.spi.Substrate;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;
import picocli.CommandLine.ArgGroup;
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
final class RunCommand implements Callable<Integer>, Habits.QuietAware {
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

  @Mixin RunnerOptions runner;

  @Option(
      names = "--substrate",
      paramLabel = "NAME",
      defaultValue = "local",
      description =
          "Where tasks run: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}). snakemake runs"
              + " the real snakemake (7.x; apt-get install snakemake) on .lightcone/Snakefile; dask"
              + " runs on a Dask cluster: DASK_SCHEDULER_ADDRESS's, else one worker per node inside a"
              + " SLURM allocation, else one on this machine (apt-get install python3-distributed);"
              + " slurm submits each task as a SLURM job from this (login) node, ordered by job"
              + " dependencies; -j, --keep-going and --retries apply, --cpus/--memory/--gpus are"
              + " local's.",
      completionCandidates = Substrates.class)
  String substrate;

  @Option(
      names = "--dispatch",
      paramLabel = "NAME",
      description =
          "With --substrate snakemake: where snakemake sends its jobs, through its cluster hooks:"
              + " dask (a Dask cluster, found as for --substrate dask). Default: this machine.")
  String dispatch;

  /** The options of {@code --substrate slurm}; refused with any other substrate. */
  static final class SlurmOptions {
    @Option(
        names = "--partition",
        paramLabel = "P",
        description = "slurm: submit to this partition (default: the cluster's default).")
    String partition;

    @Option(names = "--account", paramLabel = "A", description = "slurm: charge this account.")
    String account;

    @Option(names = "--qos", paramLabel = "Q", description = "slurm: this quality of service.")
    String qos;

    @Option(
        names = "--sbatch-option",
        paramLabel = "OPT",
        description =
            "slurm: one more sbatch option for every job, e.g. --constraint=skylake;"
                + " repeatable.")
    List<String> sbatchOptions = new ArrayList<>();

    @Option(
        names = "--max-jobs",
        paramLabel = "N",
        description = "slurm: at most N of this run's jobs in the queue at once.")
    Integer maxJobs;

    @Option(
        names = "--poll",
        paramLabel = "SECONDS",
        description = "slurm: read the jobs' states every SECONDS (one squeue call; default 3).")
    Double poll;

    @Option(
        names = "--detach",
        description =
            "slurm: submit every task, print the job ids and exit 0; lc status tells later what"
                + " finished, and lc run again does not submit a queued task twice.")
    boolean detach;

    boolean any() {
      return partition != null
          || account != null
          || qos != null
          || !sbatchOptions.isEmpty()
          || maxJobs != null
          || poll != null
          || detach;
    }
  }

  @Option(
      names = Habits.JSON,
      description =
          "Print one JSON object per line as tasks start and end, then a summary object"
              + " (JSON Lines; the shapes are in docs/commands.md).")
  boolean json;

  @Option(
      names = "--cluster",
      paramLabel = "NAME",
      description =
          "dask: run on the cluster NAME started with lc cluster up (it outlives the run).")
  String cluster;

  @ArgGroup(exclusive = false, heading = "%nSLURM (--substrate slurm):%n")
  SlurmOptions slurm = new SlurmOptions();

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
    Plan plan = p.plan(selection.options(p), runner.builder().substrate(substrate).build());
    PrintWriter out = spec.commandLine().getOut();
    Reports.warnings(plan, spec.commandLine().getErr());
    if (chosen.runsOnThisMachine()) {
      io.lightcone.core.LoginNode.warning(plan)
          .ifPresent(w -> spec.commandLine().getErr().println("lc: warning: " + w));
    }
    Progress progress = progress(out, p);

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
      Execution execution = plan.start(chosen, progress);
      running.set(execution);
      if (interrupted.get()) {
        execution.cancel(); // the interrupt came while the execution was starting
      }
      if (progress instanceof TtyProgress) {
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
      // A detached run's tasks are SUBMITTED: handed to SLURM, not failed.
      boolean ok =
          report.results().stream()
              .allMatch(r -> r.outcome().ok() || r.outcome() == TaskResult.Outcome.SUBMITTED);
      return ok ? ExitCode.OK.code : ExitCode.FAILED.code;
    } finally {
      if (ticker != null) {
        ticker.shutdownNow();
      }
      reported.countDown();
    }
  }

  /** JSON Lines, quiet, a live status line on a terminal, or plain lines; coloured on a tty. */
  private Progress progress(PrintWriter out, Project p) {
    if (json) {
      return new JsonProgress(out, p.directory(), environment.nanoTime());
    }
    if (Habits.quiet(spec)) {
      return new QuietProgress(out, p.directory(), environment.nanoTime());
    }
    Progress progress =
        environment.interactive()
            ? new TtyProgress(out, p.directory(), environment.nanoTime(), environment.columns())
            : new PlainProgress(out, p.directory(), environment.nanoTime());
    return progress.colour(Habits.colour(spec, environment));
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
    if (!(found instanceof SlurmSubstrate) && slurm.any()) {
      throw new ParameterException(
          spec.commandLine(),
          "--partition, --account, --qos, --sbatch-option, --max-jobs, --poll and --detach are"
              + " options of --substrate slurm");
    }
    Substrate chosen = option("-j/--jobs, --keep-going, --retries", found, f -> f.with(common()));
    if (chosen instanceof LocalSubstrate local) {
      return local(local);
    }
    localOnly("--cpus", cpus);
    localOnly("--memory", memory);
    localOnly("--gpus", gpus);
    if (cluster != null && !(chosen instanceof DaskSubstrate)) {
      throw new ParameterException(
          spec.commandLine(), "--cluster is an option of --substrate dask (lc cluster up NAME)");
    }
    if (chosen instanceof DaskSubstrate && cluster != null) {
      Substrate attached =
          DaskSubstrate.on(
              ClusterCommand.library(
                  spec, () -> DaskClusters.forUser().attach(cluster, project.directory())));
      return option("-j/--jobs, --keep-going, --retries", attached, f -> f.with(common()));
    }
    if (chosen instanceof SlurmSubstrate s) {
      return slurm(s);
    }
    if (chosen instanceof SnakemakeSubstrate snakemake && dispatch != null) {
      return snakemake.dispatch(DaskDispatch.create());
    }
    return chosen;
  }

  /** -j, --keep-going and --retries, the same for every substrate. */
  private SchedulingOptions common() {
    SchedulingOptions o = SchedulingOptions.DEFAULT;
    o = option("--keep-going", o, x -> x.keepGoing(keepGoing));
    o = option("--retries", o, x -> x.retries(retries));
    if (jobs != null) {
      o = option("-j/--jobs", o, x -> x.jobs(jobs));
    }
    return o;
  }

  /** The SLURM-only options; -j caps the jobs in the queue unless --max-jobs does. */
  private SlurmSubstrate slurm(SlurmSubstrate s) {
    if (slurm.maxJobs != null) {
      s = option("--max-jobs", s, x -> x.maxJobs(slurm.maxJobs));
    }
    if (slurm.partition != null) {
      s = option("--partition", s, x -> x.partition(slurm.partition));
    }
    if (slurm.account != null) {
      s = option("--account", s, x -> x.account(slurm.account));
    }
    if (slurm.qos != null) {
      s = option("--qos", s, x -> x.qos(slurm.qos));
    }
    if (!slurm.sbatchOptions.isEmpty()) {
      s = option("--sbatch-option", s, x -> x.sbatchOptions(slurm.sbatchOptions));
    }
    if (slurm.poll != null) {
      s =
          option(
              "--poll",
              s,
              x -> x.pollInterval(java.time.Duration.ofMillis(Math.round(slurm.poll * 1000))));
    }
    return option("--detach", s, x -> x.detach(slurm.detach));
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
