package io.lightcone.model;

import java.util.Optional;
import org.immutables.value.Value;

/**
 * How an output is made: a POSIX shell command template with {@code {output}}, {@code {inputs}},
 * {@code {inputs.<id>}} and {@code {decisions.<id>}} placeholders, the resources it needs and the
 * container it runs in.
 *
 * <pre>{@code Recipe.of("python3 src/fit.py --method {decisions.fit_method} --out {output}")}</pre>
 */
@Value.Immutable
public interface Recipe {
  /** The raw, unrendered command template. */
  String command();

  Optional<Resources> resources();

  /** An image name, or the path of a Containerfile in the project. */
  Optional<String> container();

  static Recipe of(String command) {
    return builder().command(command).build();
  }

  static Builder builder() {
    return new Builder();
  }

  /** Builds a {@link Recipe}. */
  final class Builder extends ImmutableRecipe.Builder {}
}
