package io.lightcone.core;

import io.lightcone.LightconeStyle;
import java.util.List;
import org.immutables.value.Value;

/**
 * What {@link Project#exportCrate(java.nio.file.Path, CrateOptions)} puts in a Workflow Run
 * RO-Crate, and in which form.
 *
 * <pre>{@code
 * project.exportCrate(Path.of("crate.zip"), CrateOptions.builder().zip(true).build());
 * }</pre>
 */
@Value.Immutable
@LightconeStyle
public interface CrateOptions {
  /** The universes to export, by id; empty means every universe file. */
  List<String> universes();

  /** Write one {@code .zip} file instead of a directory. */
  @Value.Default
  default boolean zip() {
    return false;
  }

  /**
   * Export only the outputs that are up to date (and whose upstream outputs are), leaving stale,
   * missing and failed ones out, instead of refusing to export.
   */
  @Value.Default
  default boolean partial() {
    return false;
  }

  static CrateOptions defaults() {
    return builder().build();
  }

  static Builder builder() {
    return new Builder();
  }

  /** Builds {@link CrateOptions}. */
  final class Builder extends ImmutableCrateOptions.Builder {}
}
