package io.lightcone.model;

import java.util.Optional;
import org.immutables.value.Value;

/**
 * A W3C TextQuoteSelector: the exact quoted text, with some text before and after it to tell it
 * apart.
 *
 * <pre>{@code TextQuote.builder().exact("w = -1.03 +/- 0.03").build()}</pre>
 */
@Value.Immutable
public interface TextQuote {
  String exact();

  Optional<String> prefix();

  Optional<String> suffix();

  static Builder builder() {
    return new Builder();
  }

  /** Builds a {@link TextQuote}. */
  final class Builder extends ImmutableTextQuote.Builder {}
}
