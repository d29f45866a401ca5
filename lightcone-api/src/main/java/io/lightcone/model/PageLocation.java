package io.lightcone.model;

import java.util.Optional;
import java.util.OptionalInt;
import org.immutables.value.Value;

/**
 * A W3C FragmentSelector for a PDF location: a fragment value ({@code page=6}) and/or a 1-based
 * page number.
 *
 * <pre>{@code PageLocation.builder().page(8).build()}</pre>
 */
@Value.Immutable
public interface PageLocation {
  Optional<String> value();

  OptionalInt page();

  static Builder builder() {
    return new Builder();
  }

  /** Builds a {@link PageLocation}. */
  final class Builder extends ImmutablePageLocation.Builder {}
}
