package io.lightcone.cli;

import io.lightcone.core.SigningKeys;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code lc keys show}: the public line of the signing key. */
@Command(
    name = "show",
    header = "Print the signing key's public line: ed25519 <base64> <comment>.",
    synopsisHeading = "%nUsage: ",
    descriptionHeading = "%n",
    description = {"Paste the line into a trusted-keys file (one key a line, # comments)."},
    optionListHeading = "%nOptions:%n")
final class KeysShowCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--key",
      paramLabel = "FILE",
      description = "The private key file (default: the configured one).")
  Path key;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    out.println(SigningKeys.show(Optional.ofNullable(key)).publicLine());
    out.flush();
    return ExitCode.OK.code;
  }
}
