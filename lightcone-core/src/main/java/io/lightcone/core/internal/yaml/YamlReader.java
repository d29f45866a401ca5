package io.lightcone.core.internal.yaml;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * Reads one YAML document into a {@link YNode} tree that keeps the file, line and column of every
 * key and value. Hostile input is bounded: file size, nesting depth and the size of the tree once
 * aliases are expanded all have limits, and every failure becomes a {@link YamlProblem} with a
 * position, never an exception.
 */
public final class YamlReader {
  /** Largest file accepted; an ASTRA file is hand-written, a few kilobytes. */
  public static final long MAX_BYTES = 8L << 20;

  /** Deepest nesting of mappings and lists accepted. */
  static final int MAX_DEPTH = 64;

  /** Most nodes a document may stand for once aliases are expanded (bounds alias bombs). */
  static final long MAX_WEIGHT = 1_000_000;

  private static final YAMLFactory FACTORY = createFactory();

  private final String file;
  private final List<YamlProblem> problems = new ArrayList<>();
  private final Map<String, YNode> anchors = new HashMap<>();
  private YAMLParser parser;

  private YamlReader(String file) {
    this.file = file;
  }

  /** The outcome of reading: the root node, when the document could be read, and problems. */
  public record Result(Optional<YNode> root, List<YamlProblem> problems) {}

  /**
   * Reads {@code bytes}, the content of {@code file} (project-relative, for messages).
   *
   * @return the document's root node (absent after a fatal problem) and every problem seen
   */
  public static Result read(String file, byte[] bytes) {
    YamlReader reader = new YamlReader(file);
    Optional<YNode> root = reader.readDocument(bytes);
    return new Result(root, List.copyOf(reader.problems));
  }

  /** The problem for a file of {@code size} bytes, larger than {@link #MAX_BYTES}. */
  public static YamlProblem tooLarge(String file, long size) {
    return new YamlProblem(
        Mark.fileOnly(file),
        String.format(
            Locale.ROOT,
            "file is %.1f MiB; ASTRA files of up to %d MiB are read — keep data out of"
                + " the YAML and point to it from an input's 'source'",
            size / 1048576.0,
            MAX_BYTES >> 20));
  }

  private Optional<YNode> readDocument(byte[] bytes) {
    if (bytes.length > MAX_BYTES) {
      problems.add(tooLarge(file, bytes.length));
      return Optional.empty();
    }
    Optional<String> text = decode(bytes);
    if (text.isEmpty() || !printable(text.get())) {
      return Optional.empty();
    }
    try (YAMLParser p = (YAMLParser) FACTORY.createParser(text.get())) {
      parser = p;
      JsonToken first = p.nextToken();
      if (first == null) {
        problems.add(new YamlProblem(new Mark(file, 1, 1), "file is empty; expected a mapping"));
        return Optional.empty();
      }
      YNode root = readValue(first, 0);
      if (p.nextToken() != null) {
        problems.add(
            new YamlProblem(
                mark(p.currentTokenLocation()),
                "a second YAML document starts here; a file holds exactly one document — remove"
                    + " the extra '---' section"));
      }
      return Optional.of(root);
    } catch (Fatal f) {
      problems.add(f.problem);
      return Optional.empty();
    } catch (JsonProcessingException e) {
      problems.add(syntaxProblem(e));
      return Optional.empty();
    } catch (IOException e) {
      problems.add(new YamlProblem(Mark.fileOnly(file), "cannot read: " + e.getMessage()));
      return Optional.empty();
    }
  }

  /**
   * YAML allows tab, line breaks and printable characters only; the parser's own message for
   * anything else has no useful position, so find it here.
   */
  private boolean printable(String text) {
    int line = 1;
    int column = 1;
    for (int i = 0; i < text.length(); ) {
      int c = text.codePointAt(i);
      boolean ok =
          c == '\t'
              || c == '\n'
              || c == '\r'
              || (c >= 0x20 && c <= 0x7E)
              || c == 0x85
              || (c >= 0xA0 && c <= 0xD7FF)
              || (c >= 0xE000 && c <= 0xFFFD && c != 0xFEFF)
              || (c >= 0x10000 && c <= 0x10FFFF);
      if (!ok) {
        problems.add(
            new YamlProblem(
                new Mark(file, line, column),
                String.format(
                    Locale.ROOT,
                    "control character U+%04X is not allowed in YAML; remove it (write \\u%04X"
                        + " inside a double-quoted string if you need it)",
                    c,
                    c)));
        return false;
      }
      if (c == '\n') {
        line++;
        column = 1;
      } else {
        column++;
      }
      i += Character.charCount(c);
    }
    return true;
  }

  /** Strict UTF-8 (a BOM is skipped); a bad byte is reported at its line and column. */
  private Optional<String> decode(byte[] bytes) {
    int start =
        bytes.length >= 3
                && (bytes[0] & 0xFF) == 0xEF
                && (bytes[1] & 0xFF) == 0xBB
                && (bytes[2] & 0xFF) == 0xBF
            ? 3
            : 0;
    CharsetDecoder decoder =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    try {
      CharBuffer chars = decoder.decode(ByteBuffer.wrap(bytes, start, bytes.length - start));
      return Optional.of(chars.toString());
    } catch (CharacterCodingException e) {
      int bad = firstInvalidUtf8(bytes, start);
      int line = 1;
      int lineStart = start;
      for (int i = start; i < bad; i++) {
        if (bytes[i] == '\n') {
          line++;
          lineStart = i + 1;
        }
      }
      String before = new String(bytes, lineStart, bad - lineStart, StandardCharsets.UTF_8);
      int column = before.codePointCount(0, before.length()) + 1;
      problems.add(
          new YamlProblem(
              new Mark(file, line, column),
              String.format(
                  Locale.ROOT,
                  "not valid UTF-8: byte 0x%02X; save the file as UTF-8",
                  bytes[bad] & 0xFF)));
      return Optional.empty();
    }
  }

  private static int firstInvalidUtf8(byte[] bytes, int from) {
    CharsetDecoder decoder =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(bytes, from, bytes.length - from);
    CharBuffer out = CharBuffer.allocate(bytes.length + 1);
    var result = decoder.decode(in, out, true);
    return result.isError() ? in.position() : bytes.length - 1;
  }

  private YNode readValue(JsonToken token, int depth) throws IOException {
    if (depth > MAX_DEPTH) {
      throw new Fatal(
          new YamlProblem(
              mark(parser.currentTokenLocation()),
              "nesting deeper than " + MAX_DEPTH + " levels; an ASTRA file is never this deep"));
    }
    Object anchor = parser.getObjectId();
    YNode node =
        switch (token) {
          case START_OBJECT -> readMap(depth);
          case START_ARRAY -> readSeq(depth);
          default -> readScalar(token);
        };
    if (anchor != null && !parser.isCurrentAlias()) {
      anchors.put(anchor.toString(), node);
    }
    return node;
  }

  private YNode readScalar(JsonToken token) throws IOException {
    Mark at = mark(parser.currentTokenLocation());
    String text = parser.getText();
    if (parser.isCurrentAlias()) {
      YNode target = anchors.get(text);
      if (target == null) {
        throw new Fatal(
            new YamlProblem(at, "alias *" + text + " refers to no anchor &" + text + " above it"));
      }
      return target;
    }
    YScalar.Type type =
        switch (token) {
          case VALUE_NUMBER_INT -> YScalar.Type.INTEGER;
          case VALUE_NUMBER_FLOAT -> YScalar.Type.FLOAT;
          case VALUE_TRUE, VALUE_FALSE -> YScalar.Type.BOOLEAN;
          case VALUE_NULL -> YScalar.Type.NULL;
          default -> YScalar.Type.STRING;
        };
    return new YScalar(at, type == YScalar.Type.NULL ? "" : text, type);
  }

  private YSeq readSeq(int depth) throws IOException {
    Mark at = mark(parser.currentTokenLocation());
    List<YNode> items = new ArrayList<>();
    long weight = 1;
    JsonToken t;
    while ((t = parser.nextToken()) != JsonToken.END_ARRAY) {
      YNode item = readValue(t, depth + 1);
      weight = addWeight(weight, item, at);
      items.add(item);
    }
    return new YSeq(at, items, weight);
  }

  private YMap readMap(int depth) throws IOException {
    Mark at = mark(parser.currentTokenLocation());
    Map<String, YMap.Entry> explicit = new LinkedHashMap<>();
    List<YMap.Entry> merged = new ArrayList<>();
    long weight = 1;
    JsonToken t;
    while ((t = parser.nextToken()) != JsonToken.END_OBJECT) {
      // t is FIELD_NAME: mapping keys are scalars.
      YScalar key =
          new YScalar(
              mark(parser.currentTokenLocation()), parser.currentName(), YScalar.Type.STRING);
      YNode value = readValue(parser.nextToken(), depth + 1);
      weight = addWeight(weight, value, at);
      if (key.text().equals("<<")) {
        mergeInto(merged, value, key.mark());
        continue;
      }
      YMap.Entry previous = explicit.get(key.text());
      if (previous != null) {
        problems.add(
            new YamlProblem(
                key.mark(),
                "duplicate key '"
                    + key.text()
                    + "' (first at line "
                    + previous.key().mark().line()
                    + "); remove one of them"));
        continue;
      }
      explicit.put(key.text(), new YMap.Entry(key, value));
    }
    List<YMap.Entry> entries = new ArrayList<>(explicit.values());
    for (YMap.Entry m : merged) {
      if (!explicit.containsKey(m.name())
          && entries.stream().noneMatch(e -> e.name().equals(m.name()))) {
        entries.add(m);
      }
    }
    return new YMap(at, entries, weight);
  }

  /** YAML merge keys ({@code <<: *defaults}): entries of the merged maps, first map wins. */
  private void mergeInto(List<YMap.Entry> merged, YNode value, Mark at) {
    List<YNode> sources = value instanceof YSeq seq ? seq.items() : List.of(value);
    for (YNode source : sources) {
      if (!(source instanceof YMap map)) {
        problems.add(
            new YamlProblem(
                at,
                "merge key '<<' takes a mapping or a list of mappings, not " + source.describe()));
        continue;
      }
      merged.addAll(map.entries());
    }
  }

  private long addWeight(long weight, YNode child, Mark at) {
    long sum = weight + child.weight();
    if (sum > MAX_WEIGHT || sum < 0) {
      throw new Fatal(
          new YamlProblem(
              at,
              "this document would expand to more than "
                  + MAX_WEIGHT
                  + " nodes through aliases (*name); expand fewer aliases"));
    }
    return sum;
  }

  private YamlProblem syntaxProblem(JsonProcessingException e) {
    JsonLocation loc = e.getLocation();
    Mark at = loc == null ? Mark.fileOnly(file) : mark(loc);
    String raw = e.getOriginalMessage() == null ? "" : e.getOriginalMessage();
    // The YAML parser knows where the problem is; Jackson reports where the token started.
    if (e.getCause() instanceof MarkedYAMLException marked && marked.getProblemMark() != null) {
      at =
          new Mark(
              file, marked.getProblemMark().getLine() + 1, marked.getProblemMark().getColumn() + 1);
      raw = marked.getProblem() == null ? raw : marked.getProblem();
    }
    return new YamlProblem(at, SyntaxMessages.explain(raw));
  }

  private Mark mark(JsonLocation loc) {
    return new Mark(file, Math.max(loc.getLineNr(), 0), Math.max(loc.getColumnNr(), 0));
  }

  private static YAMLFactory createFactory() {
    LoaderOptions options = new LoaderOptions();
    options.setAllowDuplicateKeys(true); // reported by this reader, with both positions
    options.setCodePointLimit((int) MAX_BYTES + 1);
    options.setNestingDepthLimit(MAX_DEPTH + 8);
    options.setMaxAliasesForCollections(Integer.MAX_VALUE); // bounded by MAX_WEIGHT instead
    return new WholeTextReader.Factory(
        YAMLFactory.builder()
            .loaderOptions(options)
            .enable(YAMLParser.Feature.EMPTY_STRING_AS_NULL)
            .streamReadConstraints(
                StreamReadConstraints.builder()
                    .maxNestingDepth(MAX_DEPTH + 8)
                    .maxStringLength((int) MAX_BYTES)
                    .build()));
  }

  /** Aborts reading a document after a problem it cannot recover from. */
  private static final class Fatal extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final transient YamlProblem problem;

    Fatal(YamlProblem problem) {
      super(problem.message(), null, false, false);
      this.problem = problem;
    }
  }
}
