package io.lightcone.dask;

import io.lightcone.dask.internal.DaskEnvironment;

/** Environments for tests: this process's, without what would send a test elsewhere. */
final class TestEnvironments {
  private TestEnvironments() {}

  /** Discovery finds neither a scheduler nor a SLURM allocation: a local cluster. */
  static DaskEnvironment local() {
    DaskEnvironment env = DaskEnvironment.system();
    for (String name : new String[] {"DASK_SCHEDULER_ADDRESS", "SLURM_JOB_ID"}) {
      env = env.without(name);
    }
    return env;
  }
}
