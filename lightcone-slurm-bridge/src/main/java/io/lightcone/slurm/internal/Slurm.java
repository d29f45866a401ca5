package io.lightcone.slurm.internal;

import io.lightcone.LightconeException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The SLURM commands the bridge runs, each one process per call: {@code sbatch} to submit, one
 * {@code squeue} per poll for every job of a run (never one per job), {@code scancel} for many jobs
 * at once, {@code scontrol update} to re-point a waiting job's dependency after a retry.
 */
public final class Slurm {
  /** A SLURM command that does not answer within this long is taken as a broken controller. */
  private static final long TIMEOUT_SECONDS = 60;

  private final SlurmEnvironment environment;
  private final Path sbatch;

  private Slurm(SlurmEnvironment environment, Path sbatch) {
    this.environment = environment;
    this.sbatch = sbatch;
  }

  /**
   * The SLURM commands on {@code PATH}.
   *
   * @throws LightconeException ({@code ENVIRONMENT}) naming what to install when sbatch is missing
   */
  public static Slurm on(SlurmEnvironment environment) {
    return on(environment, "--substrate slurm");
  }

  /** The same, for {@code who} ({@code lc cluster up}) in the error message. */
  public static Slurm on(SlurmEnvironment environment, String who) {
    Path sbatch =
        environment
            .command("sbatch")
            .orElseThrow(
                () ->
                    new LightconeException(
                        LightconeException.Kind.ENVIRONMENT,
                        who
                            + " needs SLURM's sbatch on PATH; run lc on a login node of"
                            + " the cluster, or add SLURM's bin directory to PATH"));
    return new Slurm(environment, sbatch);
  }

  /** One job's state as squeue reports it. */
  public record JobState(String job, String state, String reason) {
    /** Pending or running: SLURM will still do something with it. */
    public boolean active() {
      return switch (state) {
        case "PENDING",
            "CONFIGURING",
            "RUNNING",
            "COMPLETING",
            "REQUEUED",
            "REQUEUE_HOLD",
            "REQUEUE_FED",
            "RESIZING",
            "SIGNALING",
            "STAGE_OUT",
            "SUSPENDED",
            "STOPPED",
            "RESV_DEL_HOLD" ->
            true;
        default -> false;
      };
    }

    public boolean running() {
      return state.equals("RUNNING") || state.equals("COMPLETING");
    }
  }

  /**
   * Submits {@code script} with {@code options}; returns the job id.
   *
   * @throws LightconeException ({@code ENVIRONMENT}) with sbatch's own words when SLURM refuses it
   */
  public String submit(List<String> options, Path script) {
    List<String> argv = new ArrayList<>();
    argv.add(sbatch.toString());
    argv.add("--parsable");
    argv.addAll(options);
    argv.add(script.toString());
    Result r = run(argv);
    String out = r.out.strip();
    // --parsable prints "<id>" or "<id>;<cluster>".
    String id = out.contains(";") ? out.substring(0, out.indexOf(';')) : out;
    if (r.exit != 0 || !id.matches("\\d+(_\\d+)?")) {
      throw new LightconeException(
          LightconeException.Kind.ENVIRONMENT,
          "sbatch refused the job: " + firstLine(r.err.isBlank() ? r.out : r.err));
    }
    return id;
  }

  /** The state of every job named {@code name} of this user, in one squeue call. */
  public Map<String, JobState> states(String name) {
    Result r =
        run(
            List.of(
                command("squeue"),
                "--noheader",
                "--me",
                "--states=all",
                "--name=" + name,
                "--format=%i|%T|%r"));
    if (r.exit != 0) {
      throw new LightconeException(
          LightconeException.Kind.ENVIRONMENT, "squeue failed: " + firstLine(r.err));
    }
    return parse(r.out);
  }

  /** The state of the jobs {@code ids}, in one squeue call; ids SLURM forgot are left out. */
  public Map<String, JobState> states(Collection<String> ids) {
    if (ids.isEmpty()) {
      return Map.of();
    }
    Result r =
        run(
            List.of(
                command("squeue"),
                "--noheader",
                "--states=all",
                "--jobs=" + String.join(",", ids),
                "--format=%i|%T|%r"));
    // squeue exits 1 with "Invalid job id specified" when every id is gone.
    return r.exit == 0 ? parse(r.out) : Map.of();
  }

  /**
   * A job as squeue lists it, with the nodes it runs on ({@code node[1-2]}; empty while pending).
   */
  public record Listed(JobState state, String nodes) {}

  /** The jobs {@code ids} with their nodes, in one squeue call; ids SLURM forgot are left out. */
  public Map<String, Listed> listed(Collection<String> ids) {
    if (ids.isEmpty()) {
      return Map.of();
    }
    Result r =
        run(
            List.of(
                command("squeue"),
                "--noheader",
                "--states=all",
                "--jobs=" + String.join(",", ids),
                "--format=%i|%T|%r|%N"));
    Map<String, Listed> out = new HashMap<>();
    if (r.exit != 0) {
      return out; // "Invalid job id specified" when every id is gone
    }
    for (String line : r.out.split("\n")) {
      String[] f = line.strip().split("\\|", 4);
      if (f.length == 4 && !f[0].isEmpty()) {
        out.put(f[0], new Listed(new JobState(f[0], f[1], f[2]), f[3]));
      }
    }
    return out;
  }

  /**
   * The final state of ended jobs {@code ids} from SLURM's accounting, in one {@code sacct} call;
   * empty when accounting is off or forgot them.
   */
  public Map<String, JobState> ended(Collection<String> ids) {
    if (ids.isEmpty() || environment.command("sacct").isEmpty()) {
      return Map.of();
    }
    Result r =
        run(
            List.of(
                command("sacct"),
                "--noheader",
                "--allocations",
                "--parsable2",
                "--jobs=" + String.join(",", ids),
                "--format=JobID,State,ExitCode"));
    if (r.exit != 0) {
      return Map.of();
    }
    Map<String, JobState> out = new HashMap<>();
    for (String line : r.out.split("\n")) {
      String[] f = line.strip().split("\\|", 3);
      if (f.length == 3 && ids.contains(f[0])) {
        // "CANCELLED by 1000" -> CANCELLED
        out.put(f[0], new JobState(f[0], f[1].split(" ")[0], "exit " + f[2]));
      }
    }
    return out;
  }

  static Map<String, JobState> parse(String squeue) {
    Map<String, JobState> out = new HashMap<>();
    for (String line : squeue.split("\n")) {
      String[] f = line.strip().split("\\|", 3);
      if (f.length == 3 && !f[0].isEmpty()) {
        out.put(f[0], new JobState(f[0], f[1], f[2]));
      }
    }
    return out;
  }

  /** Cancels {@code ids} in one scancel call; jobs already gone are no error. */
  public void cancel(Collection<String> ids) {
    if (!ids.isEmpty()) {
      List<String> argv = new ArrayList<>(List.of(command("scancel")));
      argv.addAll(ids);
      run(argv);
    }
  }

  /** Makes the waiting job {@code id} depend on {@code dependency} ({@code afterok:1:2}). */
  public boolean updateDependency(String id, String dependency) {
    return run(List.of(command("scontrol"), "update", "JobId=" + id, "Dependency=" + dependency))
            .exit
        == 0;
  }

  private String command(String name) {
    return environment
        .command(name)
        .map(Path::toString)
        .orElseThrow(
            () ->
                new LightconeException(
                    LightconeException.Kind.ENVIRONMENT,
                    "SLURM's " + name + " is not on PATH, though sbatch is"));
  }

  private record Result(int exit, String out, String err) {}

  private Result run(List<String> argv) {
    ProcessBuilder pb = new ProcessBuilder(argv);
    pb.environment().clear();
    pb.environment().putAll(environment.variables());
    pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    try {
      Process p = pb.start();
      // Both streams are small (ids, states, one error line); each is read on a thread of its
      // own so that neither pipe fills while the other is read, and a hung command still times out.
      Drain out = new Drain(p.getInputStream());
      Drain err = new Drain(p.getErrorStream());
      if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new LightconeException(
            LightconeException.Kind.ENVIRONMENT,
            argv.get(0) + " did not answer within " + TIMEOUT_SECONDS + " s; is slurmctld up?");
      }
      return new Result(p.exitValue(), out.text(), err.text());
    } catch (IOException e) {
      throw new LightconeException(
          LightconeException.Kind.ENVIRONMENT,
          "could not run " + argv.get(0) + ": " + e.getMessage(),
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new LightconeException(
          LightconeException.Kind.INTERRUPTED, "interrupted while running " + argv.get(0), e);
    }
  }

  /** Reads a stream to its end on a daemon thread. */
  private static final class Drain {
    private final Thread thread;
    private volatile String text = "";

    Drain(java.io.InputStream in) {
      thread =
          new Thread(
              () -> {
                try (in) {
                  text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                } catch (IOException e) {
                  // The command's exit code says what matters; a lost message is only a message.
                }
              },
              "lc-slurm-drain");
      thread.setDaemon(true);
      thread.start();
    }

    String text() throws InterruptedException {
      thread.join(TimeUnit.SECONDS.toMillis(5));
      return text;
    }
  }

  private static String firstLine(String text) {
    String t = text.strip();
    int nl = t.indexOf('\n');
    return nl < 0 ? t : t.substring(0, nl);
  }
}
