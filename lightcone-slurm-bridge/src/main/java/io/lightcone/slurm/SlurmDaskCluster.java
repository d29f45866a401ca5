package io.lightcone.slurm;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * A Dask cluster that runs as one SLURM job ({@code lc cluster up}), as {@link DaskClusters} sees
 * it now.
 *
 * @param name the name it was started under
 * @param job its SLURM job id
 * @param nodes how many nodes (one worker each) it asked for
 * @param state SLURM's state of the job ({@code PENDING}, {@code RUNNING}, ...; {@code ENDED} when
 *     SLURM no longer lists it and accounting does not say more)
 * @param reason SLURM's reason (why it is pending), or empty
 * @param nodeList the nodes it runs on ({@code node[1-2]}), empty while pending
 * @param address the scheduler's address once the keeper said it is ready ({@code tls://node1:…})
 * @param workers the workers that had joined when it said so
 * @param submitted when it was submitted
 */
public record SlurmDaskCluster(
    String name,
    String job,
    int nodes,
    String state,
    String reason,
    String nodeList,
    Optional<String> address,
    int workers,
    Instant submitted) {

  /** Running, its scheduler up and every worker joined: a run can attach to it. */
  public boolean ready() {
    return address.isPresent() && workers >= nodes && state.equals("RUNNING");
  }

  /** Pending or running in SLURM. */
  public boolean queued() {
    return new io.lightcone.slurm.internal.Slurm.JobState(job, state, reason).active();
  }

  /** How long ago it was submitted. */
  public Duration age(Instant now) {
    return Duration.between(submitted, now);
  }
}
