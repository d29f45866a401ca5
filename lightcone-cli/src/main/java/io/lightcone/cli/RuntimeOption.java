package io.lightcone.cli;

import io.lightcone.core.RunOptions;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * {@code --runtime R}, shared by the commands that run recipes in containers or build their images.
 *
 * <pre>{@code @Mixin RuntimeOption runtime; ... runtime.applyTo(RunOptions.builder()).build();}
 * </pre>
 */
final class RuntimeOption {
  @Option(
      names = "--runtime",
      paramLabel = "R",
      description =
          "The container runtime for recipes that declare a container: auto (podman-hpc, podman,"
              + " docker with a daemon), podman-hpc, podman, docker, a path, or none (recipes run"
              + " on this host, outside their image). Default: container.runtime in"
              + " ~/.lightcone/config.yaml, else auto.")
  String runtime;

  /** The runtime given, if any. */
  Optional<String> value() {
    return Optional.ofNullable(runtime);
  }

  /** {@code builder} with the runtime set when one was given. */
  RunOptions.Builder applyTo(RunOptions.Builder builder) {
    value().ifPresent(builder::containerRuntime);
    return builder;
  }
}
