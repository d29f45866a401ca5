package io.lightcone.core.internal.project;

import io.lightcone.core.internal.yaml.Mark;
import io.lightcone.core.internal.yaml.YMap;
import io.lightcone.core.internal.yaml.YNode;
import io.lightcone.core.internal.yaml.YScalar;
import io.lightcone.core.internal.yaml.YSeq;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;

/**
 * Reads the fields of one closed YAML object against the schema: reports unknown keys (with a "did
 * you mean" hint), wrong types and missing required fields, each at its position, and keeps going
 * so that every problem is found. A key whose value is null counts as absent.
 */
final class Fields {
  private final Site site;
  private final Problems problems;

  Fields(Site site, Problems problems, List<String> allowed) {
    this.site = site;
    this.problems = problems;
    for (YMap.Entry e : site.map().entries()) {
      if (!allowed.contains(e.name())) {
        problems.error(
            e.key().mark(),
            site.path(e.name()),
            "unknown key '"
                + e.name()
                + "' in "
                + site.what()
                + Suggest.hint(e.name(), allowed)
                + "; allowed keys: "
                + String.join(", ", allowed));
      }
    }
  }

  /** Reads {@code node}, which must be a mapping, as a closed object; empty after a type error. */
  static Optional<Fields> of(
      YNode node, String path, String what, Problems problems, List<String> allowed) {
    if (node instanceof YMap map) {
      return Optional.of(new Fields(new Site(map, path, what), problems, allowed));
    }
    problems.error(node.mark(), path, what + " must be a mapping of keys, not " + node.describe());
    return Optional.empty();
  }

  Site site() {
    return site;
  }

  boolean has(String key) {
    return value(key).isPresent();
  }

  /** The value of {@code key} unless absent or null. */
  Optional<YNode> value(String key) {
    return site.map().get(key).filter(v -> !(v instanceof YScalar s && s.isNull()));
  }

  Mark keyMark(String key) {
    return site.key(key);
  }

  void error(String key, String message) {
    problems.error(site.key(key), site.path(key), message);
  }

  void valueError(String key, String message) {
    problems.error(site.value(key), site.path(key), message);
  }

  void missing(String key, String hint) {
    problems.error(
        site.at(),
        site.path(key),
        site.what() + " has no '" + key + "'" + (hint.isEmpty() ? "; add it" : "; " + hint));
  }

  /** Any scalar, as the text written; numbers and booleans keep their spelling. */
  Optional<String> string(String key) {
    Optional<YNode> v = value(key);
    if (v.isEmpty()) {
      return Optional.empty();
    }
    if (v.get() instanceof YScalar s) {
      return Optional.of(s.text());
    }
    valueError(
        key, "'" + key + "' of " + site.what() + " must be a string, not " + v.get().describe());
    return Optional.empty();
  }

  Optional<String> requiredString(String key, String hint) {
    if (!has(key)) {
      missing(key, hint);
      return Optional.empty();
    }
    return string(key);
  }

  /** A list of scalars; each item's position is kept for later checks. */
  List<YScalar> scalarList(String key) {
    Optional<YNode> v = value(key);
    if (v.isEmpty()) {
      return List.of();
    }
    if (!(v.get() instanceof YSeq seq)) {
      valueError(
          key,
          "'"
              + key
              + "' of "
              + site.what()
              + " must be a list, not "
              + v.get().describe()
              + (v.get() instanceof YScalar s ? " — write [" + s.text() + "]" : ""));
      return List.of();
    }
    List<YScalar> out = new ArrayList<>();
    for (int i = 0; i < seq.items().size(); i++) {
      YNode item = seq.items().get(i);
      if (item instanceof YScalar s && !s.isNull()) {
        out.add(s);
      } else {
        problems.error(
            item.mark(),
            site.path(key, i),
            "item "
                + (i + 1)
                + " of '"
                + key
                + "' in "
                + site.what()
                + " must be a string, not "
                + item.describe());
      }
    }
    return out;
  }

  List<String> strings(String key) {
    return scalarList(key).stream().map(YScalar::text).toList();
  }

  Optional<YMap> map(String key) {
    Optional<YNode> v = value(key);
    if (v.isPresent() && !(v.get() instanceof YMap)) {
      valueError(
          key, "'" + key + "' of " + site.what() + " must be a mapping, not " + v.get().describe());
      return Optional.empty();
    }
    return v.map(YMap.class::cast);
  }

  Optional<YSeq> list(String key) {
    Optional<YNode> v = value(key);
    if (v.isPresent() && !(v.get() instanceof YSeq)) {
      valueError(
          key, "'" + key + "' of " + site.what() + " must be a list, not " + v.get().describe());
      return Optional.empty();
    }
    return v.map(YSeq.class::cast);
  }

  OptionalDouble number(String key, double min) {
    Optional<YNode> v = value(key);
    if (v.isEmpty()) {
      return OptionalDouble.empty();
    }
    if (v.get() instanceof YScalar s
        && (s.type() == YScalar.Type.INTEGER || s.type() == YScalar.Type.FLOAT)) {
      try {
        double d = Double.parseDouble(s.text().replace("_", ""));
        if (Double.isFinite(d) && d >= min) {
          return OptionalDouble.of(d);
        }
      } catch (NumberFormatException e) {
        // reported below
      }
    }
    valueError(
        key,
        "'"
            + key
            + "' of "
            + site.what()
            + " must be a number of at least "
            + (min == Math.rint(min) ? String.valueOf((long) min) : String.valueOf(min))
            + ", not "
            + v.get().describe());
    return OptionalDouble.empty();
  }

  OptionalInt integer(String key, int min) {
    Optional<YNode> v = value(key);
    if (v.isEmpty()) {
      return OptionalInt.empty();
    }
    if (v.get() instanceof YScalar s && s.type() == YScalar.Type.INTEGER) {
      try {
        int i = Integer.parseInt(s.text().replace("_", ""));
        if (i >= min) {
          return OptionalInt.of(i);
        }
      } catch (NumberFormatException e) {
        // reported below
      }
    }
    valueError(
        key,
        "'"
            + key
            + "' of "
            + site.what()
            + " must be a whole number of at least "
            + min
            + ", not "
            + v.get().describe());
    return OptionalInt.empty();
  }

  Optional<Boolean> bool(String key) {
    Optional<YNode> v = value(key);
    if (v.isEmpty()) {
      return Optional.empty();
    }
    if (v.get() instanceof YScalar s && s.type() == YScalar.Type.BOOLEAN) {
      String t = s.text().toLowerCase(java.util.Locale.ROOT);
      return Optional.of(t.equals("true") || t.equals("yes") || t.equals("on") || t.equals("y"));
    }
    valueError(
        key,
        "'" + key + "' of " + site.what() + " must be true or false, not " + v.get().describe());
    return Optional.empty();
  }
}
