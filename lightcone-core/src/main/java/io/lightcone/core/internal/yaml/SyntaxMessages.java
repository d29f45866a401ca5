package io.lightcone.core.internal.yaml;

import java.util.Locale;

/** Turns the YAML parser's messages into ones that say what to do. */
final class SyntaxMessages {
  private SyntaxMessages() {}

  static String explain(String raw) {
    String lower = raw.toLowerCase(Locale.ROOT);
    if (lower.contains("'\\t'") || lower.contains("tab")) {
      return "a tab character where YAML expects indentation or a value; YAML indents with spaces"
          + " only — replace the tabs with spaces";
    }
    if (lower.contains("expected ',' or ']'")) {
      return "a list written with '[' is not closed here: add the missing ']' (or a ',' between"
          + " items)";
    }
    if (lower.contains("expected ',' or '}'")) {
      return "a mapping written with '{' is not closed here: add the missing '}' (or a ',' between"
          + " entries)";
    }
    if (lower.contains("mapping values are not allowed")) {
      return "a ':' that YAML cannot read here: quote the value if it contains ': ', or fix the"
          + " indentation of this key";
    }
    if (lower.contains("could not find expected ':'")) {
      return "expected 'key: value' here; check the indentation and that every key ends with ':'";
    }
    if (lower.contains("found unexpected end of stream") || lower.contains("unexpected end")) {
      return "the file ends inside a quoted string, list or mapping; close it";
    }
    if (lower.contains("did not find expected key")
        || lower.contains("expected <block end>")
        || lower.contains("did not find expected '-' indicator")) {
      return "indentation does not line up with the keys above; indent every key of a mapping by"
          + " the same number of spaces";
    }
    if (lower.contains("found undefined alias") || lower.contains("undefined alias")) {
      return "an alias (*name) refers to no anchor (&name) above it";
    }
    if (lower.contains("found character '@'") || lower.contains("found character '`'")) {
      return "'@' and '`' cannot start a plain YAML value; quote the value";
    }
    if (lower.contains("duplicate")) {
      return "a key appears twice in the same mapping; remove one of them";
    }
    if (lower.contains("nesting depth") || lower.contains("depth")) {
      return "nesting is too deep; an ASTRA file is never this deep";
    }
    if (lower.contains("aliasevent")) {
      return "an alias (*name) cannot be a key here; write the key itself";
    }
    if (lower.contains("expected a field name")) {
      return "a mapping key must be a plain value (text or a number), not a list or mapping";
    }
    return "YAML syntax error: " + plain(firstLine(raw));
  }

  /**
   * The parser's own words, without the Java names it puts in ({@code
   * <org.yaml.snakeyaml.events.SequenceStartEvent(...)>}, {@code START_ARRAY}, a Jackson method).
   */
  private static String plain(String message) {
    return message
        .replaceAll("<org\\.yaml\\.snakeyaml\\.[\\w.]*?(\\w+)Event\\([^>]*\\)>", "a YAML $1")
        .replaceAll("org\\.yaml\\.snakeyaml\\.[\\w.]*", "the YAML reader")
        .replaceAll("com\\.fasterxml\\.jackson\\.[\\w.]*", "the YAML reader")
        .replaceAll("\\(`?StreamReadConstraints\\.[^)]*\\)", "")
        .replaceAll("`?StreamReadConstraints\\.\\w+\\(\\)`?", "the reader's limit");
  }

  private static String firstLine(String s) {
    String t = s.strip();
    int nl = t.indexOf('\n');
    return nl < 0 ? t : t.substring(0, nl).strip();
  }
}
