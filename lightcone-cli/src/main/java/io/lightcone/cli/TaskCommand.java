package io.lightcone.cli;

import picocli.CommandLine.Command;

/**
 * {@code lc task}: plumbing for substrates that run tasks in other processes (Snakemake rules, Dask
 * workers, SLURM steps). Hidden from {@code lc --help}; documented in the README.
 */
@Command(
    name = "task",
    hidden = true,
    header = "Plumbing: run one planned task (for substrates; see the README).",
    synopsisHeading = "%nUsage: ",
    commandListHeading = "%nCommands:%n",
    optionListHeading = "%nOptions:%n",
    subcommands = {TaskRunCommand.class, TaskServeCommand.class})
final class TaskCommand {}
