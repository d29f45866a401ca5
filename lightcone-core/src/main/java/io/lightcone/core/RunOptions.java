package io.lightcone.core;

import io.lightcone.LightconeStyle;
import org.immutables.value.Value;

/**
 * How tasks run, whichever substrate runs them.
 *
 * <pre>
 * {@code project.plan(PlanOptions.defaults(), RunOptions.builder().strictInputs(true).build())}
 * </pre>
 */
@Value.Immutable
@LightconeStyle
public interface RunOptions {
  /** Version external input files by their content (SHA-256) instead of mtime and size. */
  @Value.Default
  default boolean strictInputs() {
    return false;
  }

  /** Keep a failed attempt's output under {@code .lightcone/failed/} for inspection. */
  @Value.Default
  default boolean keepFailed() {
    return false;
  }

  /** The substrate's name, recorded in manifests ({@code local}, {@code snakemake}, ...). */
  @Value.Default
  default String substrate() {
    return "local";
  }

  /**
   * Restore outputs from the content-addressed cache and store new ones in it ({@code --no-cache}
   * turns it off).
   */
  @Value.Default
  default boolean cache() {
    return true;
  }

  /**
   * Where the cache lives: this, else the {@code LIGHTCONE_CACHE} environment variable (e.g. a
   * group's project space), else {@code .lightcone/cache} in the project.
   */
  java.util.Optional<java.nio.file.Path> cacheDirectory();

  /**
   * How outputs are placed from the cache: {@code auto} (reflink where the file system can, else
   * copy), {@code copy}, or {@code hardlink} (outputs and cache share one read-only inode). Empty:
   * the {@code LIGHTCONE_CACHE_LINK} environment variable, else {@code auto}.
   */
  java.util.Optional<String> cacheLink();

  /**
   * The container runtime for recipes that declare a container: {@code auto} (podman-hpc, podman,
   * docker with a daemon that answers), {@code podman-hpc}, {@code podman}, {@code docker}, the
   * path of one, or {@code none} (recipes run on the host, and their manifests say so). Empty:
   * {@code container.runtime} of {@code ~/.lightcone/config.yaml}, else {@code auto}.
   */
  java.util.Optional<String> containerRuntime();

  /**
   * How hermetically recipes run. Empty: as the project's {@code lightcone.yaml} says ({@code
   * sandbox:}), else {@link SandboxMode#ON}, which runs each recipe in a bubblewrap sandbox where
   * {@code bwrap} works (and unsandboxed, with a warning, where it is not installed). See {@code
   * docs/sandbox.md}.
   */
  java.util.Optional<SandboxMode> sandbox();

  /**
   * Whether recipes may use the network; {@code false} unshares it in the sandbox. Empty: as {@code
   * lightcone.yaml} says ({@code network:}), else {@code true}.
   */
  java.util.Optional<Boolean> network();

  /**
   * Where {@code bwrap} is installed but cannot make a sandbox (user namespaces refused): run
   * recipes unsandboxed with a warning instead of failing with an environment error. Empty: as
   * {@code lightcone.yaml} says ({@code sandbox_fallback:}), else {@code false}.
   */
  java.util.Optional<Boolean> sandboxFallback();

  /**
   * The private key that signs every manifest written: this, else the file {@code
   * LIGHTCONE_SIGNING_KEY} names, else {@code ~/.config/lightcone/signing-key} when it exists
   * ({@code lc keys init} makes it), else manifests are not signed. Out-of-process substrates
   * (Snakemake, Dask) sign with the key their plumbing command finds in its own environment.
   */
  java.util.Optional<java.nio.file.Path> signingKey();

  static RunOptions defaults() {
    return builder().build();
  }

  static Builder builder() {
    return new Builder();
  }

  /** Builds {@link RunOptions}. */
  final class Builder extends ImmutableRunOptions.Builder {}
}
