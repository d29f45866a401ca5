package io.lightcone.cli;

import picocli.CommandLine.Command;

/** {@code lc keys}: the key that signs manifests. */
@Command(
    name = "keys",
    header = "Make or show the key that signs every manifest lc writes.",
    synopsisHeading = "%nUsage: ",
    descriptionHeading = "%n",
    description = {
      "With a key, every manifest lc writes carries an Ed25519 signature, and"
          + " lc verify --trusted-keys FILE fails any output whose manifest is not signed by a key"
          + " in FILE. The key is $LIGHTCONE_SIGNING_KEY, else ~/.config/lightcone/signing-key"
          + " ($XDG_CONFIG_HOME/lightcone/signing-key). See docs/security.md."
    },
    commandListHeading = "%nCommands:%n",
    optionListHeading = "%nOptions:%n",
    subcommands = {KeysInitCommand.class, KeysShowCommand.class})
final class KeysCommand {}
