package io.lightcone.model;

import java.util.List;
import java.util.Optional;
import org.immutables.value.Value;

/**
 * An input of an analysis: a dataset ({@code data}), another analysis ({@code analysis}), or, with
 * {@code from:}, a pure alias of an ancestor's input or a sibling sub-analysis's output.
 *
 * <pre>
 * {@code Input.builder().id(InputId.of("catalog")).type(InputType.DATA).source("data/cat.csv").build()}
 * </pre>
 */
@Value.Immutable
public interface Input {
  InputId id();

  Optional<String> label();

  /** Absent exactly when the input is an alias. */
  Optional<InputType> type();

  Optional<String> description();

  /** URI or path of the data; a relative path is relative to the analysis directory. */
  Optional<String> source();

  Optional<String> ref();

  Optional<String> refVersion();

  List<String> useOutputs();

  /** {@code ../id} (an ancestor's input) or {@code ../sibling.output}. */
  Optional<Ref> from();

  default boolean isAlias() {
    return from().isPresent();
  }

  static Builder builder() {
    return new Builder();
  }

  /** Builds an {@link Input}. */
  final class Builder extends ImmutableInput.Builder {}
}
