package io.lightcone.core.internal.yaml;

import java.util.List;
import java.util.Optional;

/** A YAML mapping whose keys are scalars, in the order written; keys are unique. */
public record YMap(Mark mark, List<Entry> entries, long weight) implements YNode {

  /** One key and its value. */
  public record Entry(YScalar key, YNode value) {
    public String name() {
      return key.text();
    }
  }

  public YMap {
    entries = List.copyOf(entries);
  }

  public Optional<Entry> entry(String key) {
    for (Entry e : entries) {
      if (e.name().equals(key)) {
        return Optional.of(e);
      }
    }
    return Optional.empty();
  }

  public Optional<YNode> get(String key) {
    return entry(key).map(Entry::value);
  }

  public boolean has(String key) {
    return entry(key).isPresent();
  }

  @Override
  public String describe() {
    return "a mapping";
  }
}
