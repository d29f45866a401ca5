package io.lightcone.core.internal.project;

import java.util.ArrayList;
import java.util.List;

/**
 * Scans a recipe command template: {@code {name}} placeholders, {@code {{} and {@code }}} escapes,
 * and the unbalanced braces that are errors. The one scanner for validation and rendering.
 */
public final class Placeholders {
  private Placeholders() {}

  /** What a piece of the template is. */
  public enum Kind {
    /** Text copied as is ({@link Token#name()} holds it, escapes already undone). */
    TEXT,
    PLACEHOLDER,
    UNCLOSED,
    STRAY_CLOSE
  }

  /**
   * One piece of a template.
   *
   * @param name the text, or the placeholder's name without braces
   * @param offset where it starts in the template
   */
  public record Token(Kind kind, String name, int offset) {}

  public static List<Token> scan(String template) {
    List<Token> out = new ArrayList<>();
    StringBuilder text = new StringBuilder();
    int textStart = 0;
    int i = 0;
    int n = template.length();
    while (i < n) {
      char c = template.charAt(i);
      if (c == '{' && i + 1 < n && template.charAt(i + 1) == '{') {
        text.append('{');
        i += 2;
      } else if (c == '}' && i + 1 < n && template.charAt(i + 1) == '}') {
        text.append('}');
        i += 2;
      } else if (c == '{') {
        int close = template.indexOf('}', i + 1);
        int nextOpen = template.indexOf('{', i + 1);
        if (close < 0 || (nextOpen >= 0 && nextOpen < close)) {
          flush(out, text, textStart);
          out.add(new Token(Kind.UNCLOSED, "", i));
          i++;
          textStart = i;
          continue;
        }
        flush(out, text, textStart);
        out.add(new Token(Kind.PLACEHOLDER, template.substring(i + 1, close).strip(), i));
        i = close + 1;
        textStart = i;
      } else if (c == '}') {
        flush(out, text, textStart);
        out.add(new Token(Kind.STRAY_CLOSE, "", i));
        i++;
        textStart = i;
      } else {
        text.append(c);
        i++;
      }
    }
    flush(out, text, textStart);
    return out;
  }

  private static void flush(List<Token> out, StringBuilder text, int start) {
    if (text.length() > 0) {
      out.add(new Token(Kind.TEXT, text.toString(), start));
      text.setLength(0);
    }
  }
}
