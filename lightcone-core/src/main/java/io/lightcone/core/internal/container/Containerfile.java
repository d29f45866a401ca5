package io.lightcone.core.internal.container;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a Containerfile copies from its build context: the sources of every {@code COPY} and {@code
 * ADD}, in order, as written. Only what the image is built from matters to its identity, so this
 * reads no more of the syntax than it needs: parser directives ({@code # escape=}), comments, line
 * continuations, heredocs (whose bodies are never instructions), shell and JSON forms, and flags.
 * {@code --from=} copies from another image or stage, URLs are fetched, heredoc sources are inline:
 * none of them is a file of the project, so they are left out.
 */
final class Containerfile {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern DIRECTIVE = Pattern.compile("#\\s*([A-Za-z]+)\\s*=\\s*(\\S*)\\s*");
  private static final Pattern HEREDOC = Pattern.compile("<<(-?)([\"']?)([A-Za-z0-9_.-]+)\\2");

  /** One {@code COPY}/{@code ADD} source, with the 1-based line of its instruction. */
  record Source(int line, String path) {}

  private Containerfile() {}

  /** The project files the instructions of {@code text} copy from the build context, in order. */
  static List<Source> sources(String text) {
    List<String> lines = text.lines().toList();
    char escape = escape(lines);
    List<Source> out = new ArrayList<>();
    int i = 0;
    while (i < lines.size()) {
      String first = lines.get(i);
      if (first.isBlank() || first.strip().startsWith("#")) {
        i++;
        continue;
      }
      int line = i + 1;
      // A logical line: physical lines joined while one ends with the escape character; comment
      // and empty lines inside it are dropped, as the builders do.
      StringBuilder logical = new StringBuilder();
      String physical = first;
      while (true) {
        String trimmed = physical.stripTrailing();
        boolean continues = trimmed.endsWith(String.valueOf(escape));
        logical.append(continues ? trimmed.substring(0, trimmed.length() - 1) : physical);
        i++;
        if (!continues) {
          break;
        }
        while (i < lines.size()
            && (lines.get(i).isBlank() || lines.get(i).strip().startsWith("#"))) {
          i++;
        }
        if (i >= lines.size()) {
          break;
        }
        logical.append(' ');
        physical = lines.get(i);
      }
      String instruction = logical.toString().strip();
      // Heredoc bodies follow the instruction line; skip them, they are data or script.
      List<String> heredocs = new ArrayList<>();
      Matcher m = HEREDOC.matcher(instruction);
      while (m.find()) {
        heredocs.add(m.group(1) + m.group(3));
      }
      for (String h : heredocs) {
        boolean tabs = h.startsWith("-");
        String word = tabs ? h.substring(1) : h;
        while (i < lines.size()) {
          String body = lines.get(i++);
          if ((tabs ? body.replaceFirst("^\t+", "") : body).equals(word)) {
            break;
          }
        }
      }
      copied(line, instruction, out);
    }
    return out;
  }

  /** The escape character of a {@code # escape=} parser directive, else a backslash. */
  private static char escape(List<String> lines) {
    for (String l : lines) {
      Matcher m = DIRECTIVE.matcher(l.strip());
      if (!m.matches()) {
        break; // directives come first; any other line ends them
      }
      if (m.group(1).equalsIgnoreCase("escape") && m.group(2).equals("`")) {
        return '`';
      }
    }
    return '\\';
  }

  private static void copied(int line, String instruction, List<Source> out) {
    String[] head = instruction.split("\\s+", 2);
    String keyword = head[0].toUpperCase(Locale.ROOT);
    if (!(keyword.equals("COPY") || keyword.equals("ADD")) || head.length < 2) {
      return;
    }
    String rest = head[1].strip();
    List<String> flags = new ArrayList<>();
    while (rest.startsWith("--")) {
      String[] split = rest.split("\\s+", 2);
      flags.add(split[0]);
      rest = split.length > 1 ? split[1].strip() : "";
    }
    for (String f : flags) {
      if (f.toLowerCase(Locale.ROOT).startsWith("--from")) {
        return;
      }
    }
    List<String> args = arguments(rest);
    for (int k = 0; k < args.size() - 1; k++) {
      String s = args.get(k);
      if (s.isEmpty() || s.startsWith("<<") || s.contains("://") || s.startsWith("git@")) {
        continue;
      }
      out.add(new Source(line, s));
    }
  }

  /** The JSON form's strings, else the words of the shell form. */
  private static List<String> arguments(String rest) {
    if (rest.startsWith("[")) {
      try {
        JsonNode array = JSON.readTree(rest);
        if (array != null && array.isArray()) {
          List<String> out = new ArrayList<>();
          array.forEach(n -> out.add(n.asText()));
          return out;
        }
      } catch (JsonProcessingException e) {
        // Not JSON after all: the builders read it as the shell form too.
      }
    }
    return rest.isEmpty() ? List.of() : List.of(rest.split("\\s+"));
  }
}
