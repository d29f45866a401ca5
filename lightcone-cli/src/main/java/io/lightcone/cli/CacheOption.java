package io.lightcone.cli;

import io.lightcone.core.RunOptions;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code --cache DIR}, shared by the commands that use the content-addressed cache. The directory
 * need not exist yet: the first stored output creates it.
 *
 * <pre>{@code @Mixin CacheOption cache; ... cache.applyTo(RunOptions.builder()).build();}</pre>
 */
final class CacheOption {
  @Spec(Spec.Target.MIXEE)
  CommandSpec mixee;

  @Option(
      names = "--cache",
      paramLabel = "DIR",
      description =
          "The content-addressed cache to use (default: $LIGHTCONE_CACHE, else"
              + " .lightcone/cache in the project).")
  String directory;

  @Option(
      names = "--link",
      paramLabel = "TYPE",
      description =
          "How outputs are placed from the cache: auto (reflink where the file system can, else"
              + " copy), copy, or hardlink (outputs become read-only links into the cache)."
              + " Default: $LIGHTCONE_CACHE_LINK, else auto.")
  String link;

  /** The directory given, if any. */
  Optional<Path> directory() {
    if (directory == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(Path.of(directory));
    } catch (InvalidPathException e) {
      throw new ParameterException(
          mixee.commandLine(), "--cache '" + directory + "' is not a valid path: " + e.getReason());
    }
  }

  /** {@code builder} with the cache directory set when one was given. */
  RunOptions.Builder applyTo(RunOptions.Builder builder) {
    directory().ifPresent(builder::cacheDirectory);
    if (link != null) {
      builder.cacheLink(link);
    }
    return builder;
  }
}
