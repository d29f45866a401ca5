/**
 * Runs a Lightcone plan on a Dask cluster (attached, SLURM or local), with per-task cpus, memory
 * and gpus as Dask resources.
 *
 * <pre>{@code
 * try (DaskCluster cluster = DaskCluster.forRun()) {
 *   plan.execute(DaskSubstrate.on(cluster)).throwIfFailed();
 * }
 * }</pre>
 */
package io.lightcone.dask;
