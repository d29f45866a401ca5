package io.lightcone.slurm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lightcone.LightconeException;
import io.lightcone.dask.DaskCluster;
import io.lightcone.slurm.internal.Slurm;
import io.lightcone.slurm.internal.SlurmEnvironment;
import io.lightcone.spi.PrivateDirectories;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Dask clusters that live in SLURM jobs of their own, started from the login node and shared by
 * many runs ({@code lc cluster up / status / down}, {@code lc run --substrate dask --cluster
 * NAME}). One job per cluster: its batch script runs the Dask scheduler on the first node and one
 * worker per node through {@code srun}, TLS only, with a CA, certificate and key made for that
 * cluster (mode 0600) in the cluster's private directory (0700) under {@code
 * ~/.lightcone/clusters/NAME/}, which the nodes must see (a home directory on the shared file
 * system). That directory is the record: the job id, what was asked, the keeper's script, its
 * {@code ready.json} (the scheduler's address once every worker joined) and the job's output.
 *
 * <pre>{@code
 * DaskClusters clusters = DaskClusters.forUser();
 * clusters.up("t", DaskClusters.Request.nodes(2).withTime(Duration.ofHours(2)));
 * clusters.await("t", Duration.ofMinutes(5));
 * try (DaskCluster c = clusters.attach("t", project.directory())) {
 *   plan.execute(DaskSubstrate.on(c)).throwIfFailed();   // the cluster outlives the run
 * }
 * clusters.down("t");
 * }</pre>
 */
public final class DaskClusters {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,39}");
  private static final String RECORD = "cluster.json";
  private static final String READY = "ready.json";

  /** How long the keeper waits, once the job runs, for every worker to join. */
  private static final Duration WORKER_WAIT = Duration.ofMinutes(5);

  private final Path root;
  private final SlurmEnvironment environment;
  private final Clock clock;

  /**
   * What a cluster asks SLURM for: nodes (one worker each), and per node cpus, memory, gpus; the
   * job's time limit; partition, account, qos. Empty fields are left to SLURM's defaults.
   */
  public record Request(
      int nodes,
      OptionalInt cpus,
      Optional<String> memory,
      OptionalInt gpus,
      Optional<Duration> time,
      Optional<String> partition,
      Optional<String> account,
      Optional<String> qos) {
    /** {@code nodes} nodes, everything else SLURM's defaults. */
    public static Request nodes(int nodes) {
      return new Request(
          nodes,
          OptionalInt.empty(),
          Optional.empty(),
          OptionalInt.empty(),
          Optional.empty(),
          Optional.empty(),
          Optional.empty(),
          Optional.empty());
    }

    public Request withCpus(int c) {
      return new Request(nodes, OptionalInt.of(c), memory, gpus, time, partition, account, qos);
    }

    /** Memory per node, e.g. {@code 8Gi} or {@code 16GB}. */
    public Request withMemory(String m) {
      return new Request(nodes, cpus, Optional.of(m), gpus, time, partition, account, qos);
    }

    public Request withGpus(int g) {
      return new Request(nodes, cpus, memory, OptionalInt.of(g), time, partition, account, qos);
    }

    public Request withTime(Duration t) {
      return new Request(nodes, cpus, memory, gpus, Optional.of(t), partition, account, qos);
    }

    public Request withPartition(String p) {
      return new Request(nodes, cpus, memory, gpus, time, Optional.of(p), account, qos);
    }

    public Request withAccount(String a) {
      return new Request(nodes, cpus, memory, gpus, time, partition, Optional.of(a), qos);
    }

    public Request withQos(String q) {
      return new Request(nodes, cpus, memory, gpus, time, partition, account, Optional.of(q));
    }

    /** The sbatch options; a bad value is a USER_INPUT error naming it. */
    List<String> sbatchOptions() {
      List<String> out = new ArrayList<>();
      if (nodes < 1) {
        throw bad("--nodes " + nodes + ": a cluster needs at least 1 node");
      }
      out.add("--nodes=" + nodes);
      out.add("--ntasks-per-node=1");
      cpus.ifPresent(
          c -> {
            if (c < 1) {
              throw bad("--cpus " + c + ": at least 1 cpu per node");
            }
            out.add("--cpus-per-task=" + c);
          });
      memory.ifPresent(m -> out.add("--mem=" + slurmMemory(m)));
      gpus.ifPresent(
          g -> {
            if (g < 0) {
              throw bad("--gpus " + g + ": 0 or more gpus per node");
            }
            if (g > 0) {
              out.add("--gres=gpu:" + g);
            }
          });
      time.ifPresent(t -> out.add("--time=" + Math.max(1, (t.toSeconds() + 59) / 60)));
      partition.ifPresent(p -> out.add("--partition=" + p));
      account.ifPresent(a -> out.add("--account=" + a));
      qos.ifPresent(q -> out.add("--qos=" + q));
      return out;
    }

    private static String slurmMemory(String m) {
      long bytes =
          io.lightcone.model.Resources.parseBytes(m)
              .orElseThrow(
                  () -> bad("--memory '" + m + "': write memory per node like 8Gi or 16GB"));
      return Math.max(1, (bytes + (1 << 20) - 1) >> 20) + "M";
    }
  }

  private DaskClusters(Path root, SlurmEnvironment environment, Clock clock) {
    this.root = root;
    this.environment = environment;
    this.clock = clock;
  }

  /** This user's clusters, recorded under {@code $HOME/.lightcone/clusters}. */
  public static DaskClusters forUser() {
    SlurmEnvironment env = SlurmEnvironment.system();
    String home = env.variables().get("HOME");
    if (home == null || home.isBlank()) {
      throw new LightconeException(
          LightconeException.Kind.ENVIRONMENT,
          "HOME is not set: lc cluster keeps its clusters under ~/.lightcone/clusters; set HOME");
    }
    return at(Path.of(home, ".lightcone", "clusters"), env);
  }

  /** Clusters recorded under {@code root} (for tests and embedding). */
  public static DaskClusters at(Path root) {
    return at(root, SlurmEnvironment.system());
  }

  static DaskClusters at(Path root, SlurmEnvironment environment) {
    return new DaskClusters(root.toAbsolutePath(), environment, Clock.systemUTC());
  }

  /**
   * Submits the cluster {@code name}'s job and records it; returns once SLURM queued it.
   *
   * @throws LightconeException USER_INPUT for a bad name or request, or a cluster of that name
   *     still queued or running; ENVIRONMENT without sbatch, or when SLURM refuses the job (a
   *     partition or time limit it does not know: sbatch's words), with nothing left in the queue
   */
  public SlurmDaskCluster up(String name, Request request) {
    checkName(name);
    List<String> options = new ArrayList<>(request.sbatchOptions());
    Slurm slurm = Slurm.on(environment, "lc cluster up");
    Path dir = root.resolve(name);
    if (Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
      Optional<SlurmDaskCluster> old = read(name);
      if (old.isPresent()) {
        SlurmDaskCluster now = withState(old.get(), slurm.listed(List.of(old.get().job())));
        if (now.queued()) {
          throw bad(
              "cluster '"
                  + name
                  + "' is already up (SLURM job "
                  + now.job()
                  + ", "
                  + now.state()
                  + "); use it, or lc cluster down "
                  + name
                  + " first");
        }
      }
      delete(dir); // its job ended: the record is stale
    }
    PrivateDirectories.ensure(root);
    try {
      Files.createDirectory(
          dir, PosixFilePermissions.asFileAttribute(PrivateDirectories.OWNER_ONLY));
    } catch (IOException e) {
      throw new LightconeException(
          LightconeException.Kind.ENVIRONMENT, "cannot create " + dir + ": " + e.getMessage(), e);
    }
    String job;
    try {
      List<String> keeper =
          DaskCluster.batchKeeper(dir, request.nodes(), dir.resolve(READY), WORKER_WAIT);
      StringBuilder script = new StringBuilder("#!/bin/bash\n");
      script
          .append("# lc cluster up ")
          .append(name)
          .append(": Dask scheduler + one worker per node\n");
      script.append("cd ").append(quote(dir.toString())).append(" || exit 1\n");
      script.append("exec");
      keeper.forEach(a -> script.append(' ').append(quote(a)));
      script.append('\n');
      Path batch =
          PrivateDirectories.write(
              dir.resolve("job.sh"), script.toString().getBytes(StandardCharsets.UTF_8), true);
      options.add("--job-name=lc-cluster-" + name);
      options.add("--output=" + dir.resolve("job.out"));
      job = slurm.submit(options, batch);
    } catch (IOException e) {
      delete(dir);
      throw new LightconeException(
          LightconeException.Kind.ENVIRONMENT,
          "cannot write into " + dir + ": " + e.getMessage(),
          e);
    } catch (RuntimeException e) {
      delete(dir);
      if (e instanceof LightconeException le && le.getMessage().startsWith("sbatch refused")) {
        throw new LightconeException(
            LightconeException.Kind.ENVIRONMENT,
            "lc cluster up " + name + ": " + le.getMessage() + "; nothing was queued",
            e);
      }
      throw e;
    }
    Instant now = clock.instant();
    ObjectNode record = JSON.createObjectNode();
    record
        .put("name", name)
        .put("job", job)
        .put("nodes", request.nodes())
        .put("submitted", now.toString());
    try {
      PrivateDirectories.write(
          dir.resolve(RECORD),
          JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(record),
          false);
    } catch (IOException | RuntimeException e) {
      slurm.cancel(List.of(job));
      delete(dir);
      throw new LightconeException(
          LightconeException.Kind.ENVIRONMENT,
          "cannot record cluster '"
              + name
              + "' in "
              + dir
              + " ("
              + e.getMessage()
              + "); job "
              + job
              + " cancelled",
          e);
    }
    return new SlurmDaskCluster(
        name, job, request.nodes(), "PENDING", "", "", Optional.empty(), 0, now);
  }

  /**
   * Waits until the cluster {@code name} is ready (its scheduler answers and every worker joined),
   * at most {@code limit}.
   *
   * @throws LightconeException ENVIRONMENT when its job ended or the keeper failed (its words), or
   *     it is not ready within {@code limit} (it stays queued: {@link #down} removes it)
   */
  public SlurmDaskCluster await(String name, Duration limit) {
    Instant deadline = clock.instant().plus(limit);
    while (true) {
      SlurmDaskCluster c = status(name);
      if (c.ready()) {
        return c;
      }
      Optional<String> error = keeperError(name);
      if (error.isPresent() || !c.queued()) {
        throw new LightconeException(
            LightconeException.Kind.ENVIRONMENT,
            "cluster '"
                + name
                + "' did not come up (SLURM job "
                + c.job()
                + ", "
                + c.state()
                + "): "
                + error.orElse("its job ended; see " + root.resolve(name).resolve("job.out"))
                + "; lc cluster down "
                + name);
      }
      if (clock.instant().isAfter(deadline)) {
        throw new LightconeException(
            LightconeException.Kind.ENVIRONMENT,
            "cluster '"
                + name
                + "' is not ready after "
                + limit.toSeconds()
                + " s (SLURM job "
                + c.job()
                + ", "
                + c.state()
                + (c.reason().isBlank() || c.reason().equals("None") ? "" : ": " + c.reason())
                + "); it stays queued: lc cluster status "
                + name
                + ", or lc cluster down "
                + name);
      }
      try {
        Thread.sleep(1000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new LightconeException(
            LightconeException.Kind.INTERRUPTED, "interrupted while waiting for " + name, e);
      }
    }
  }

  /**
   * Every recorded cluster with its state now: one {@code squeue} call for all of them, one {@code
   * sacct} call for those it no longer lists.
   */
  public List<SlurmDaskCluster> status() {
    List<SlurmDaskCluster> recorded = new ArrayList<>();
    for (String name : names()) {
      read(name).ifPresent(recorded::add);
    }
    if (recorded.isEmpty()) {
      return List.of();
    }
    Slurm slurm = Slurm.on(environment, "lc cluster status");
    List<String> ids = recorded.stream().map(SlurmDaskCluster::job).toList();
    Map<String, Slurm.Listed> listed = slurm.listed(ids);
    List<String> gone = ids.stream().filter(id -> !listed.containsKey(id)).toList();
    Map<String, Slurm.JobState> ended = slurm.ended(gone);
    List<SlurmDaskCluster> out = new ArrayList<>();
    for (SlurmDaskCluster c : recorded) {
      Slurm.Listed l = listed.get(c.job());
      if (l == null) {
        Slurm.JobState s = ended.get(c.job());
        l = new Slurm.Listed(s != null ? s : new Slurm.JobState(c.job(), "ENDED", ""), "");
      }
      out.add(withState(c, Map.of(c.job(), l)));
    }
    return out;
  }

  /**
   * The cluster {@code name} with its state now.
   *
   * @throws LightconeException USER_INPUT when no cluster of that name is recorded
   */
  public SlurmDaskCluster status(String name) {
    SlurmDaskCluster c = recorded(name);
    Slurm slurm = Slurm.on(environment, "lc cluster status");
    Map<String, Slurm.Listed> listed = slurm.listed(List.of(c.job()));
    if (listed.isEmpty()) {
      Slurm.JobState s =
          slurm
              .ended(List.of(c.job()))
              .getOrDefault(c.job(), new Slurm.JobState(c.job(), "ENDED", ""));
      listed = Map.of(c.job(), new Slurm.Listed(s, ""));
    }
    return withState(c, listed);
  }

  /**
   * Cancels the cluster {@code name}'s job ({@code scancel}), waits (at most a minute) until SLURM
   * no longer runs it, and removes its record and credentials.
   *
   * @throws LightconeException USER_INPUT when no cluster of that name is recorded
   */
  public SlurmDaskCluster down(String name) {
    SlurmDaskCluster c = recorded(name);
    Slurm slurm = Slurm.on(environment, "lc cluster down");
    slurm.cancel(List.of(c.job()));
    Instant deadline = clock.instant().plusSeconds(60);
    while (clock.instant().isBefore(deadline)) {
      Slurm.Listed l = slurm.listed(List.of(c.job())).get(c.job());
      if (l == null || !l.state().active()) {
        break;
      }
      try {
        Thread.sleep(500);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    delete(root.resolve(name));
    return c;
  }

  /**
   * The ready cluster {@code name} as a {@link DaskCluster} to run on ({@code
   * DaskSubstrate.on(...)}), presenting its credentials; closing it leaves the cluster up. The
   * run's own scripts go under {@code project/.lightcone/dask/}.
   *
   * @throws LightconeException USER_INPUT for an unknown name; ENVIRONMENT when it is not ready
   */
  public DaskCluster attach(String name, Path project) {
    SlurmDaskCluster c = status(name);
    if (!c.ready()) {
      throw new LightconeException(
          LightconeException.Kind.ENVIRONMENT,
          "cluster '"
              + name
              + "' is not ready (SLURM job "
              + c.job()
              + ", "
              + c.state()
              + (c.reason().isBlank() || c.reason().equals("None") ? "" : ": " + c.reason())
              + (c.queued()
                  ? "); wait for it (lc cluster status " + name + ")"
                  : "); start it again: lc cluster down " + name + ", lc cluster up " + name));
    }
    return DaskCluster.attach(project, c.address().orElseThrow(), root.resolve(name));
  }

  /** Where the clusters are recorded. */
  public Path root() {
    return root;
  }

  private SlurmDaskCluster recorded(String name) {
    checkName(name);
    return read(name)
        .orElseThrow(
            () ->
                bad(
                    "no cluster named '"
                        + name
                        + "'"
                        + (names().isEmpty()
                            ? ""
                            : " (there are: " + String.join(", ", names()) + ")")
                        + "; start one with lc cluster up "
                        + name));
  }

  private List<String> names() {
    if (!Files.isDirectory(root, LinkOption.NOFOLLOW_LINKS)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(root)) {
      return s.filter(p -> Files.isRegularFile(p.resolve(RECORD), LinkOption.NOFOLLOW_LINKS))
          .map(p -> p.getFileName().toString())
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private Optional<SlurmDaskCluster> read(String name) {
    Path file = root.resolve(name).resolve(RECORD);
    if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
      return Optional.empty();
    }
    try {
      PrivateDirectories.check(root.resolve(name), true);
      JsonNode r = JSON.readTree(file.toFile());
      Optional<String> address = Optional.empty();
      int workers = 0;
      JsonNode ready = readyLine(name);
      if (ready != null && "ready".equals(ready.path("event").asText())) {
        address = Optional.of(ready.path("address").asText());
        workers = ready.path("workers").size();
      }
      return Optional.of(
          new SlurmDaskCluster(
              name,
              r.path("job").asText(),
              r.path("nodes").asInt(1),
              "UNKNOWN",
              "",
              "",
              address,
              workers,
              Instant.parse(r.path("submitted").asText())));
    } catch (IOException | RuntimeException e) {
      if (e instanceof LightconeException le) {
        throw le;
      }
      throw new LightconeException(
          LightconeException.Kind.ENVIRONMENT,
          "cannot read cluster '"
              + name
              + "' from "
              + file
              + ": "
              + e.getMessage()
              + "; remove that directory",
          e);
    }
  }

  private JsonNode readyLine(String name) throws IOException {
    Path ready = root.resolve(name).resolve(READY);
    return Files.isRegularFile(ready, LinkOption.NOFOLLOW_LINKS)
        ? JSON.readTree(ready.toFile())
        : null;
  }

  private Optional<String> keeperError(String name) {
    try {
      JsonNode r = readyLine(name);
      return r != null && "error".equals(r.path("event").asText())
          ? Optional.of(r.path("message").asText().lines().findFirst().orElse(""))
          : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private static SlurmDaskCluster withState(SlurmDaskCluster c, Map<String, Slurm.Listed> listed) {
    Slurm.Listed l = listed.get(c.job());
    if (l == null) {
      l = new Slurm.Listed(new Slurm.JobState(c.job(), "ENDED", ""), "");
    }
    return new SlurmDaskCluster(
        c.name(),
        c.job(),
        c.nodes(),
        l.state().state(),
        l.state().reason(),
        l.nodes(),
        c.address(),
        c.workers(),
        c.submitted());
  }

  private static void checkName(String name) {
    if (name == null || !NAME.matcher(name).matches()) {
      throw bad(
          "cluster name '"
              + name
              + "': use letters, digits, '.', '_' and '-' (at most 40, starting with a letter or"
              + " digit)");
    }
  }

  private static LightconeException bad(String message) {
    return new LightconeException(LightconeException.Kind.USER_INPUT, message);
  }

  private static String quote(String s) {
    return "'" + s.replace("'", "'\\''") + "'";
  }

  private static void delete(Path dir) {
    if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (Stream<Path> all = Files.walk(dir)) {
      for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      throw new LightconeException(
          LightconeException.Kind.ENVIRONMENT, "cannot remove " + dir + ": " + e.getMessage(), e);
    }
  }
}
