package io.lightcone.cli;

import picocli.CommandLine.Command;

/** {@code lc export}: a project's state in a form others can take away. */
@Command(
    name = "export",
    header = "Export the project's spec, universes and results.",
    synopsisHeading = "%nUsage: ",
    commandListHeading = "%nCommands:%n",
    optionListHeading = "%nOptions:%n",
    subcommands = {ExportArchiveCommand.class, ExportWrrocCommand.class})
final class ExportCommand {}
