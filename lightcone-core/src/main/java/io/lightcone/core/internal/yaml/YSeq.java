package io.lightcone.core.internal.yaml;

import java.util.List;

/** A YAML sequence. */
public record YSeq(Mark mark, List<YNode> items, long weight) implements YNode {
  public YSeq {
    items = List.copyOf(items);
  }

  @Override
  public String describe() {
    return "a list";
  }
}
