/**
 * Runs a Lightcone plan with the real {@code snakemake}: one rule per output, each rule's shell
 * being the {@code lc task run} plumbing command, so hashing and manifests stay in Java.
 *
 * <pre>{@code
 * project.plan().execute(SnakemakeSubstrate.create().jobs(4)).throwIfFailed();
 * }</pre>
 */
package io.lightcone.snakemake;
