package io.lightcone.core.internal.hash;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Writes JSON byte for byte as Python's {@code json.dumps(value, sort_keys=True)} does, compact
 * ({@code separators=(",", ":")}) or with {@code indent=2}: keys sorted by code point, every
 * character outside printable ASCII escaped as lower-case {@code \\uXXXX} (surrogate pairs above
 * the BMP), floats as {@link PyFloat}. Values are maps with string keys, lists, strings, booleans,
 * integers (int, long, BigInteger), doubles and null.
 */
public final class PyJson {
  /** Python orders str keys by code point; Java's String order is by UTF-16 unit. */
  public static final Comparator<String> CODE_POINT_ORDER = PyJson::compareCodePoints;

  private PyJson() {}

  /** {@code json.dumps(value, sort_keys=True, separators=(",", ":"))}. */
  public static String compact(Object value) {
    StringBuilder out = new StringBuilder();
    write(out, value, -1, 0);
    return out.toString();
  }

  /** {@code json.dumps(value, sort_keys=True, indent=2)} (no trailing newline). */
  public static String indented(Object value) {
    StringBuilder out = new StringBuilder();
    write(out, value, 2, 0);
    return out.toString();
  }

  private static void write(StringBuilder out, Object value, int indent, int depth) {
    if (value == null) {
      out.append("null");
    } else if (value instanceof String s) {
      string(out, s);
    } else if (value instanceof Boolean b) {
      out.append(b ? "true" : "false");
    } else if (value instanceof Integer
        || value instanceof Long
        || value instanceof java.math.BigInteger) {
      out.append(value);
    } else if (value instanceof Double d) {
      out.append(PyFloat.repr(d));
    } else if (value instanceof Map<?, ?> map) {
      List<String> keys = new ArrayList<>();
      for (Object k : map.keySet()) {
        keys.add((String) k);
      }
      keys.sort(CODE_POINT_ORDER);
      if (keys.isEmpty()) {
        out.append("{}");
        return;
      }
      out.append('{');
      for (int i = 0; i < keys.size(); i++) {
        out.append(i == 0 ? "" : ",");
        newline(out, indent, depth + 1);
        string(out, keys.get(i));
        out.append(indent < 0 ? ":" : ": ");
        write(out, map.get(keys.get(i)), indent, depth + 1);
      }
      newline(out, indent, depth);
      out.append('}');
    } else if (value instanceof List<?> list) {
      if (list.isEmpty()) {
        out.append("[]");
        return;
      }
      out.append('[');
      for (int i = 0; i < list.size(); i++) {
        out.append(i == 0 ? "" : ",");
        newline(out, indent, depth + 1);
        write(out, list.get(i), indent, depth + 1);
      }
      newline(out, indent, depth);
      out.append(']');
    } else {
      throw new IllegalArgumentException("not a JSON value: " + value.getClass().getName());
    }
  }

  private static void newline(StringBuilder out, int indent, int depth) {
    if (indent >= 0) {
      out.append('\n').append(" ".repeat(indent * depth));
    }
  }

  private static void string(StringBuilder out, String s) {
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        case '\b' -> out.append("\\b");
        case '\f' -> out.append("\\f");
        default -> {
          if (c < 0x20 || c > 0x7e) {
            out.append(String.format(java.util.Locale.ROOT, "\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }

  static int compareCodePoints(String a, String b) {
    int i = 0;
    int j = 0;
    while (i < a.length() && j < b.length()) {
      int ca = a.codePointAt(i);
      int cb = b.codePointAt(j);
      if (ca != cb) {
        return Integer.compare(ca, cb);
      }
      i += Character.charCount(ca);
      j += Character.charCount(cb);
    }
    return Integer.compare(a.length() - i, b.length() - j);
  }
}
