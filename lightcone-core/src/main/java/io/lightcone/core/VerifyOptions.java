package io.lightcone.core;

import io.lightcone.LightconeStyle;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.immutables.value.Value;

/**
 * What {@link Project#verify(VerifyOptions)} checks.
 *
 * <pre>
 * {@code project.verify(VerifyOptions.builder().addUniverses("baseline").trustedKeys(keys).build())}
 * </pre>
 */
@Value.Immutable
@LightconeStyle
public interface VerifyOptions {
  /** The universes whose outputs are verified; all universe files when empty. */
  List<String> universes();

  /**
   * A trusted-keys file (one {@code ed25519 <base64> [comment]} line per key, as {@code lc keys
   * show} prints it; {@code #} comments): every manifest of every verified output and of every
   * upstream in its chain must then be signed by one of them.
   */
  Optional<Path> trustedKeys();

  static VerifyOptions defaults() {
    return builder().build();
  }

  static Builder builder() {
    return new Builder();
  }

  /** Builds {@link VerifyOptions}. */
  final class Builder extends ImmutableVerifyOptions.Builder {}
}
