package io.lightcone.model;

/**
 * The id of a universe: its {@code id} field, or the stem of its file under {@code universes/}.
 *
 * <pre>{@code UniverseId.of("baseline")}</pre>
 *
 * @param value lower-case letters, digits, {@code _} and {@code -}, starting with a letter
 */
public record UniverseId(String value) implements Comparable<UniverseId> {
  public UniverseId {
    if (value == null || !Identifiers.isUniverseId(value)) {
      throw new IllegalArgumentException(
          "invalid universe id '" + value + "': use lower-case letters, digits, '_' and '-'");
    }
  }

  public static UniverseId of(String value) {
    return new UniverseId(value);
  }

  @Override
  public int compareTo(UniverseId other) {
    return value.compareTo(other.value);
  }

  @Override
  public String toString() {
    return value;
  }
}
