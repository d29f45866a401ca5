package io.lightcone.snakemake.internal;

import java.nio.file.Path;
import java.util.Optional;

/**
 * How {@link io.lightcone.snakemake.SnakemakeSubstrate} runs snakemake.
 *
 * @param jobs at most this many tasks at once ({@code --cores})
 * @param keepGoing after a failure, go on with every task that does not depend on it ({@code
 *     --keep-going})
 * @param retries run a failed task again up to this many times ({@code --restart-times})
 * @param executable the snakemake to run; empty: {@code LIGHTCONE_SNAKEMAKE}, else {@code PATH}
 */
public record Settings(int jobs, boolean keepGoing, int retries, Optional<Path> executable) {}
