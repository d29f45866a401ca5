package io.lightcone.cli;

import picocli.CommandLine.Command;

/** {@code lc cache}: look after the content-addressed cache outputs are restored from. */
@Command(
    name = "cache",
    header = "Inspect, shrink or check the content-addressed cache.",
    synopsisHeading = "%nUsage: ",
    descriptionHeading = "%n",
    description = {
      "The cache holds every output lc has made, compressed and deduplicated, so that a task"
          + " whose recipe, decisions and inputs were seen before is restored instead of re-run."
          + " It lives in --cache DIR, else $LIGHTCONE_CACHE, else .lightcone/cache."
    },
    commandListHeading = "%nCommands:%n",
    optionListHeading = "%nOptions:%n",
    subcommands = {CacheStatsCommand.class, CacheGcCommand.class, CacheVerifyCommand.class})
final class CacheCommand {}
