package io.lightcone.core.internal.yaml;

/**
 * A scalar with its source text and the type YAML's core schema gives it.
 *
 * @param text the scalar's value as written (quotes removed); empty for a null written as nothing
 */
public record YScalar(Mark mark, String text, Type type) implements YNode {
  /** YAML core-schema type of a scalar; quoted scalars are always strings. */
  public enum Type {
    STRING,
    INTEGER,
    FLOAT,
    BOOLEAN,
    NULL
  }

  @Override
  public long weight() {
    return 1;
  }

  public boolean isNull() {
    return type == Type.NULL;
  }

  @Override
  public String describe() {
    return switch (type) {
      case STRING -> "a string \"" + abbreviate(text) + "\"";
      case INTEGER -> "an integer " + text;
      case FLOAT -> "a number " + text;
      case BOOLEAN -> "a boolean " + text;
      case NULL -> "null";
    };
  }

  static String abbreviate(String s) {
    String one = s.replace("\n", "\\n");
    return one.length() <= 40 ? one : one.substring(0, 37) + "...";
  }
}
