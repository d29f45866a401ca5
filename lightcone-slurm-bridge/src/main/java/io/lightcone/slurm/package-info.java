/**
 * Runs a Lightcone plan as SLURM jobs submitted from a login node: one job per task, ordered by the
 * queue's job dependencies, with each recipe's resources as the job's requests.
 *
 * <pre>{@code
 * plan.execute(SlurmSubstrate.create().partition("short")).throwIfFailed();
 * }</pre>
 */
package io.lightcone.slurm;
