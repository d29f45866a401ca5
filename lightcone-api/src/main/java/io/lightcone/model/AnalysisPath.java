package io.lightcone.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Where an analysis sits in the tree: the sub-analysis ids from the root down; the root is the
 * empty path.
 *
 * <pre>{@code AnalysisPath.parse("feature_extraction").child(AnalysisId.of("encoder"))}</pre>
 *
 * @param ids sub-analysis ids from the root down
 */
public record AnalysisPath(List<AnalysisId> ids) implements Comparable<AnalysisPath> {
  public static final AnalysisPath ROOT = new AnalysisPath(List.of());

  public AnalysisPath {
    ids = List.copyOf(ids);
  }

  /** Parses {@code a.b.c}; the empty string is the root. */
  public static AnalysisPath parse(String dotted) {
    if (dotted.isEmpty()) {
      return ROOT;
    }
    return new AnalysisPath(Arrays.stream(dotted.split("\\.", -1)).map(AnalysisId::of).toList());
  }

  public boolean isRoot() {
    return ids.isEmpty();
  }

  public AnalysisPath child(AnalysisId id) {
    List<AnalysisId> longer = new ArrayList<>(ids);
    longer.add(id);
    return new AnalysisPath(longer);
  }

  /** The enclosing analysis; the root's parent is the root. */
  public AnalysisPath parent() {
    return isRoot() ? this : new AnalysisPath(ids.subList(0, ids.size() - 1));
  }

  public int depth() {
    return ids.size();
  }

  /** {@code prefix} followed by a dot, or nothing at the root: for qualified ids. */
  public String qualify(String id) {
    return isRoot() ? id : this + "." + id;
  }

  @Override
  public int compareTo(AnalysisPath other) {
    return toString().compareTo(other.toString());
  }

  @Override
  public String toString() {
    return String.join(".", ids.stream().map(AnalysisId::value).toList());
  }
}
