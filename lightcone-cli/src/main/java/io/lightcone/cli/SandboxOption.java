package io.lightcone.cli;

import io.lightcone.core.RunOptions;
import io.lightcone.core.SandboxMode;
import picocli.CommandLine.Option;

/**
 * {@code --sandbox on|strict|off}, {@code --no-network} and {@code --sandbox-fallback}, shared by
 * the commands that run recipes (see {@code docs/sandbox.md}).
 *
 * <pre>{@code @Mixin SandboxOption sandbox; ... sandbox.applyTo(RunOptions.builder()).build();}
 * </pre>
 */
final class SandboxOption {
  @Option(
      names = "--sandbox",
      paramLabel = "MODE",
      description =
          "How recipes are confined: on (default where bwrap works: the file system read-only but"
              + " the output, a private /tmp and HOME), strict (also hides every project file the"
              + " task does not declare or name), off (run as they are).")
  String mode;

  @Option(
      names = "--no-network",
      description = "Recipes cannot reach the network (the sandbox or container unshares it).")
  boolean noNetwork;

  @Option(
      names = "--sandbox-fallback",
      description =
          "Where bwrap is installed but cannot make a sandbox (user namespaces refused), run"
              + " recipes unsandboxed with a warning instead of exiting 4.")
  boolean fallback;

  /** {@code builder} with what was given; an unknown mode is a one-line error (exit 3). */
  RunOptions.Builder applyTo(RunOptions.Builder builder) {
    if (mode != null) {
      builder.sandbox(SandboxMode.parse(mode, "--sandbox"));
    }
    if (noNetwork) {
      builder.network(false);
    }
    if (fallback) {
      builder.sandboxFallback(true);
    }
    return builder;
  }
}
