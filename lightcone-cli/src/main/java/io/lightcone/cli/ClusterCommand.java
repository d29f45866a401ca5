package io.lightcone.cli;

import io.lightcone.LightconeException;
import io.lightcone.slurm.DaskClusters;
import io.lightcone.slurm.SlurmDaskCluster;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code lc cluster up / status / down}: Dask clusters in SLURM jobs of their own, started from the
 * login node, which {@code lc run --substrate dask --cluster NAME} attaches to. Parses, calls
 * {@link DaskClusters}, renders.
 */
@Command(
    name = "cluster",
    header = "Start, list and stop Dask clusters that run as SLURM jobs.",
    synopsisHeading = "%nUsage: ",
    descriptionHeading = "%n",
    description = {
      "lc cluster up NAME submits one SLURM job that runs a Dask scheduler and one worker per"
          + " node, TLS only, with credentials made for it under ~/.lightcone/clusters/NAME"
          + " (mode 0700; it must be on a file system the nodes see). lc run --substrate dask"
          + " --cluster NAME runs on it; it outlives the run until lc cluster down NAME."
    },
    commandListHeading = "%nCommands:%n",
    optionListHeading = "%nOptions:%n",
    subcommands = {ClusterCommand.Up.class, ClusterCommand.Status.class, ClusterCommand.Down.class})
final class ClusterCommand {
  private ClusterCommand() {}

  /** A bad name or request is a usage error (exit 2); the rest goes as it is (SLURM: exit 4). */
  static <T> T library(CommandSpec spec, Supplier<T> action) {
    try {
      return action.get();
    } catch (LightconeException e) {
      if (e.kind() == LightconeException.Kind.USER_INPUT) {
        throw new ParameterException(spec.commandLine(), e.getMessage(), e);
      }
      throw e;
    }
  }

  @Command(
      name = "up",
      header = "Submit a Dask cluster as one SLURM job.",
      synopsisHeading = "%nUsage: ",
      descriptionHeading = "%n",
      description = {
        "Returns once SLURM queued the job; with --wait, once the scheduler answers and every"
            + " worker joined (at most --wait-seconds). Exits 4, with nothing left in the queue,"
            + " when sbatch is missing or SLURM refuses the job (a partition or time limit)."
      },
      parameterListHeading = "%nArguments:%n",
      optionListHeading = "%nOptions:%n")
  static final class Up implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "NAME", description = "The cluster's name.")
    String name;

    @Option(
        names = "--nodes",
        paramLabel = "N",
        defaultValue = "1",
        description = "Nodes, one worker each (default: ${DEFAULT-VALUE}).")
    int nodes;

    @Option(names = "--cpus", paramLabel = "C", description = "cpus per node (default: SLURM's).")
    Integer cpus;

    @Option(
        names = "--memory",
        paramLabel = "M",
        description = "Memory per node, e.g. 8Gi (default: SLURM's).")
    String memory;

    @Option(names = "--gpus", paramLabel = "G", description = "gpus per node (--gres=gpu:G).")
    Integer gpus;

    @Option(
        names = "--time",
        paramLabel = "MINUTES",
        description = "The job's time limit in minutes (default: the partition's).")
    Long minutes;

    @Option(names = "--partition", paramLabel = "P", description = "Submit to this partition.")
    String partition;

    @Option(names = "--account", paramLabel = "A", description = "Charge this account.")
    String account;

    @Option(names = "--qos", paramLabel = "Q", description = "This quality of service.")
    String qos;

    @Option(
        names = "--wait",
        description = "Wait until the scheduler answers and every worker joined.")
    boolean await;

    @Option(
        names = "--wait-seconds",
        paramLabel = "S",
        defaultValue = "600",
        description =
            "How long --wait waits (default: ${DEFAULT-VALUE}); the cluster stays queued after.")
    long waitSeconds;

    @Override
    public Integer call() {
      DaskClusters.Request r = DaskClusters.Request.nodes(nodes);
      if (cpus != null) {
        r = r.withCpus(cpus);
      }
      if (memory != null) {
        r = r.withMemory(memory);
      }
      if (gpus != null) {
        r = r.withGpus(gpus);
      }
      if (minutes != null) {
        r = r.withTime(Duration.ofMinutes(minutes));
      }
      if (partition != null) {
        r = r.withPartition(partition);
      }
      if (account != null) {
        r = r.withAccount(account);
      }
      if (qos != null) {
        r = r.withQos(qos);
      }
      DaskClusters.Request request = r;
      DaskClusters clusters = library(spec, DaskClusters::forUser);
      SlurmDaskCluster c = library(spec, () -> clusters.up(name, request));
      PrintWriter out = spec.commandLine().getOut();
      out.println("cluster " + name + ": SLURM job " + c.job() + " queued (" + nodes + " node(s))");
      out.flush();
      if (await) {
        c = clusters.await(name, Duration.ofSeconds(waitSeconds));
        out.println(
            "cluster "
                + name
                + ": ready at "
                + c.address().orElse("?")
                + " on "
                + c.nodeList()
                + ", "
                + c.workers()
                + " worker(s)");
      }
      out.println("run on it: lc run --substrate dask --cluster " + name);
      out.flush();
      return ExitCode.OK.code;
    }
  }

  @Command(
      name = "status",
      header = "Show the Dask clusters started with lc cluster up.",
      synopsisHeading = "%nUsage: ",
      descriptionHeading = "%n",
      description = {
        "One squeue call for all of them (sacct for those that ended): state, nodes, the"
            + " scheduler's address, age."
      },
      parameterListHeading = "%nArguments:%n",
      optionListHeading = "%nOptions:%n")
  static final class Status implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "NAME", description = "Only this one.")
    String name;

    @Override
    public Integer call() {
      DaskClusters clusters = library(spec, DaskClusters::forUser);
      List<SlurmDaskCluster> all =
          name == null ? clusters.status() : List.of(library(spec, () -> clusters.status(name)));
      PrintWriter out = spec.commandLine().getOut();
      if (all.isEmpty()) {
        out.println("no clusters; start one with lc cluster up NAME --nodes N");
      } else {
        String format = "%-16s %-8s %-12s %-10s %-16s %-30s %s%n";
        out.printf(Locale.ROOT, format, "NAME", "JOB", "STATE", "NODES", "ON", "ADDRESS", "AGE");
        Instant now = Instant.now();
        for (SlurmDaskCluster c : all) {
          out.printf(
              Locale.ROOT,
              format,
              c.name(),
              c.job(),
              c.ready() ? "READY" : c.state(),
              c.workers() + "/" + c.nodes(),
              c.nodeList().isEmpty()
                  ? (c.reason().isBlank() || c.reason().equals("None")
                      ? "-"
                      : "(" + c.reason() + ")")
                  : c.nodeList(),
              c.address().orElse("-"),
              age(c.age(now)));
        }
      }
      out.flush();
      return ExitCode.OK.code;
    }

    private static String age(Duration d) {
      long s = Math.max(0, d.toSeconds());
      return s < 120 ? s + "s" : s < 7200 ? s / 60 + "m" : s / 3600 + "h" + (s % 3600) / 60 + "m";
    }
  }

  @Command(
      name = "down",
      header = "Cancel a cluster's SLURM job and forget it.",
      synopsisHeading = "%nUsage: ",
      descriptionHeading = "%n",
      description = {"scancel, then its record and credentials are removed."},
      parameterListHeading = "%nArguments:%n",
      optionListHeading = "%nOptions:%n")
  static final class Down implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "NAME", description = "The cluster's name.")
    String name;

    @Override
    public Integer call() {
      DaskClusters clusters = library(spec, DaskClusters::forUser);
      SlurmDaskCluster c = library(spec, () -> clusters.down(name));
      PrintWriter out = spec.commandLine().getOut();
      out.println(
          "cluster " + name + ": SLURM job " + c.job() + " cancelled, its credentials removed");
      out.flush();
      return ExitCode.OK.code;
    }
  }
}
