package io.lightcone.slurm;

import io.lightcone.LightconeException;
import io.lightcone.slurm.internal.JobRecords;
import io.lightcone.slurm.internal.Slurm;
import io.lightcone.slurm.internal.Slurm.JobState;
import io.lightcone.slurm.internal.SlurmEnvironment;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The SLURM jobs a detached run ({@code lc run --substrate slurm --detach}) left for a project,
 * with their state now, read with one {@code squeue} call: what {@code lc status} shows beside the
 * manifests while the jobs run.
 *
 * <pre>{@code
 * SlurmJobs.of(project.directory()).ifPresent(jobs -> System.out.println(jobs));
 * }</pre>
 */
public final class SlurmJobs {
  /** One recorded job: its task, its SLURM id, and what SLURM says of it now. */
  public record Job(String task, String id, String state, String reason) {
    /** Still pending or running. */
    public boolean queued() {
      return new JobState(id, state, reason).active();
    }
  }

  private final List<Job> jobs;

  private SlurmJobs(List<Job> jobs) {
    this.jobs = List.copyOf(jobs);
  }

  /**
   * The jobs recorded for {@code project} with their state, or empty when no detached run left any.
   * A job SLURM no longer lists has the state {@code ENDED}; without SLURM's commands every state
   * is {@code UNKNOWN}.
   */
  public static Optional<SlurmJobs> of(Path project) {
    return of(project, SlurmEnvironment.system());
  }

  static Optional<SlurmJobs> of(Path project, SlurmEnvironment environment) {
    Map<String, JobRecords.Record> records = JobRecords.read(project);
    if (records.isEmpty()) {
      return Optional.empty();
    }
    Map<String, JobState> states;
    try {
      List<String> ids = new ArrayList<>();
      records.values().forEach(r -> ids.add(r.job()));
      states = Slurm.on(environment).states(ids);
    } catch (LightconeException e) {
      states = null; // not on the cluster: the record still says which jobs exist
    }
    List<Job> jobs = new ArrayList<>();
    for (Map.Entry<String, JobRecords.Record> e : records.entrySet()) {
      String id = e.getValue().job();
      JobState s = states == null ? null : states.get(id);
      jobs.add(
          new Job(
              e.getKey(),
              id,
              states == null ? "UNKNOWN" : s == null ? "ENDED" : s.state(),
              s == null ? "" : s.reason()));
    }
    return Optional.of(new SlurmJobs(jobs));
  }

  public List<Job> jobs() {
    return jobs;
  }

  /**
   * {@code SLURM: 11 jobs of a detached run: 4 running, 7 pending}, then a line for each job that
   * SLURM ended badly; nothing about jobs that ended (their manifests tell), whether SLURM still
   * lists them as {@code COMPLETED} or no longer lists them: both count as {@code ended}.
   */
  @Override
  public String toString() {
    Map<String, Integer> counts = new TreeMap<>();
    // COMPLETED (squeue still lists it) and ENDED (squeue forgot it, MinJobAge later) are one
    // state to a user: the job is over and its manifest tells how; which one a job is in depends
    // only on when status asked.
    jobs.forEach(
        j ->
            counts.merge(
                j.state().equals("COMPLETED") ? "ended" : j.state().toLowerCase(Locale.ROOT),
                1,
                Integer::sum));
    StringBuilder s = new StringBuilder("SLURM: " + jobs.size() + " job(s) of a detached run: ");
    List<String> parts = new ArrayList<>();
    counts.forEach((state, n) -> parts.add(n + " " + state));
    s.append(String.join(", ", parts));
    for (Job j : jobs) {
      if (!j.queued()
          && !j.state().equals("COMPLETED")
          && !j.state().equals("ENDED")
          && !j.state().equals("UNKNOWN")) {
        s.append("\n  ")
            .append(j.task())
            .append(": job ")
            .append(j.id())
            .append(' ')
            .append(j.state());
        if (!j.reason().isEmpty() && !j.reason().equals("None")) {
          s.append(" (").append(j.reason()).append(')');
        }
      }
    }
    return s.toString();
  }
}
