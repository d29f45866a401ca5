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

/** {@code lc keys init}: makes the key pair that signs manifests. */
@Command(
    name = "init",
    header = "Make a new signing key pair (private key mode 0600) and print its public line.",
    synopsisHeading = "%nUsage: ",
    descriptionHeading = "%n",
    description = {
      "Writes the private key (PEM, PKCS #8) and <key>.pub beside it, then prints the public"
          + " line to add to a trusted-keys file. Refuses to replace a key without --force."
    },
    optionListHeading = "%nOptions:%n")
final class KeysInitCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--key",
      paramLabel = "FILE",
      description = "Where to write the private key (default: the configured location).")
  Path key;

  @Option(
      names = "--force",
      description = "Replace an existing key (manifests it signed then fail against the new one).")
  boolean force;

  @Override
  public Integer call() {
    SigningKeys.Key k = SigningKeys.init(Optional.ofNullable(key), force);
    PrintWriter out = spec.commandLine().getOut();
    out.println(k.publicLine());
    spec.commandLine()
        .getErr()
        .println(
            "wrote "
                + k.file()
                + " (mode 0600); every manifest lc writes from now on is signed with it");
    out.flush();
    return ExitCode.OK.code;
  }
}
