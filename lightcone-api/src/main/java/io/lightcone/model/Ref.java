package io.lightcone.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A path reference in ASTRA's tree grammar: {@code ../} escapes one scope upward, dots descend into
 * named children. Used by {@code from:}, {@code Output.inputs}, {@code when}, {@code requires} and
 * {@code incompatible_with}.
 *
 * <pre>{@code
 * Ref r = Ref.parse("../feature_extraction.features").orElseThrow();
 * r.up();       // 1
 * r.segments(); // [feature_extraction, features]
 * }</pre>
 *
 * @param up how many scopes to escape upward before descending
 * @param segments the names to descend through; the last one names the target
 */
public record Ref(int up, List<String> segments) {
  private static final Pattern GRAMMAR =
      Pattern.compile("(\\.\\./)*[a-z][a-z0-9_]*(\\.[a-z][a-z0-9_]*)*");

  public Ref {
    if (up < 0) {
      throw new IllegalArgumentException("up must be >= 0");
    }
    segments = List.copyOf(segments);
    if (segments.isEmpty()) {
      throw new IllegalArgumentException("a reference names at least one element");
    }
  }

  /** Parses the textual form; empty when {@code text} does not follow the grammar. */
  public static Optional<Ref> parse(String text) {
    if (text == null || !GRAMMAR.matcher(text).matches()) {
      return Optional.empty();
    }
    int up = 0;
    String rest = text;
    while (rest.startsWith("../")) {
      up++;
      rest = rest.substring(3);
    }
    return Optional.of(new Ref(up, List.of(rest.split("\\.", -1))));
  }

  /** A reference to {@code name} in the current scope. */
  public static Ref local(String name) {
    return new Ref(0, List.of(name));
  }

  /** The last segment: the name of the referenced element. */
  public String target() {
    return segments.get(segments.size() - 1);
  }

  /** The scopes to descend through before the target. */
  public List<String> scopes() {
    return segments.subList(0, segments.size() - 1);
  }

  public boolean isLocal() {
    return up == 0 && segments.size() == 1;
  }

  /** This reference with its last segment removed, or empty when there is only one. */
  public Optional<Ref> withoutTarget() {
    return segments.size() == 1
        ? Optional.empty()
        : Optional.of(new Ref(up, segments.subList(0, segments.size() - 1)));
  }

  /** This reference extended by one more segment. */
  public Ref then(String name) {
    List<String> longer = new ArrayList<>(segments);
    longer.add(name);
    return new Ref(up, longer);
  }

  @Override
  public String toString() {
    return "../".repeat(up) + String.join(".", segments);
  }
}
