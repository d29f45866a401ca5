package io.lightcone.core.internal.yaml;

import com.fasterxml.jackson.core.ObjectCodec;
import com.fasterxml.jackson.core.io.IOContext;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactoryBuilder;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.CharArrayReader;
import java.io.IOException;
import java.io.Reader;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.parser.ParserImpl;
import org.yaml.snakeyaml.reader.ReaderException;
import org.yaml.snakeyaml.reader.StreamReader;
import org.yaml.snakeyaml.scanner.Constant;

/**
 * SnakeYAML's {@link StreamReader} over a document already in memory, in one array of code points.
 * SnakeYAML's own reader keeps a window that it copies whole every 1,024 characters while a token
 * is scanned, so one long scalar took time quadratic in its length (a 7.5 MiB string: 15 s). This
 * one has the same contract (positions, line and column counting, the refusal of non-printable
 * characters) and copies nothing: scanning is linear.
 */
final class WholeTextReader extends StreamReader {
  private static final String NAME = "'reader'";
  private final int[] data;
  private final int firstNonPrintable;
  private int pointer;
  private int index;
  private int documentIndex;
  private int line;
  private int column;

  WholeTextReader(String text) {
    super("");
    this.data = text.codePoints().toArray();
    int bad = data.length;
    for (int i = 0; i < data.length; i++) {
      if (!isPrintable(data[i])) {
        bad = i;
        break;
      }
    }
    this.firstNonPrintable = bad;
  }

  /** Whether {@code at} is a code point of the document; refuses one that is not printable. */
  private boolean has(int at) {
    if (at >= firstNonPrintable && firstNonPrintable < data.length) {
      throw new ReaderException(
          NAME, firstNonPrintable, data[firstNonPrintable], "special characters are not allowed");
    }
    return at < data.length;
  }

  @Override
  public Mark getMark() {
    return new Mark(NAME, index, line, column, data, pointer);
  }

  @Override
  public void forward() {
    forward(1);
  }

  @Override
  public void forward(int length) {
    for (int i = 0; i < length && has(pointer); i++) {
      int c = data[pointer++];
      index++;
      documentIndex++;
      if (Constant.LINEBR.has(c) || (c == '\r' && has(pointer) && data[pointer] != '\n')) {
        line++;
        column = 0;
      } else if (c != 0xFEFF) {
        column++;
      }
    }
  }

  @Override
  public int peek() {
    return peek(0);
  }

  @Override
  public int peek(int offset) {
    return has(pointer + offset) ? data[pointer + offset] : 0;
  }

  @Override
  public String prefix(int length) {
    if (length == 0) {
      return "";
    }
    has(pointer + length - 1);
    return new String(data, pointer, Math.max(0, Math.min(length, data.length - pointer)));
  }

  @Override
  public String prefixForward(int length) {
    String prefix = prefix(length);
    pointer += length;
    index += length;
    documentIndex += length;
    column += length;
    return prefix;
  }

  @Override
  public int getColumn() {
    return column;
  }

  @Override
  public int getDocumentIndex() {
    return documentIndex;
  }

  @Override
  public void resetDocumentIndex() {
    documentIndex = 0;
  }

  @Override
  public int getIndex() {
    return index;
  }

  @Override
  public int getLine() {
    return line;
  }

  /** A {@link YAMLFactory} whose parsers read through a {@link WholeTextReader}. */
  static final class Factory extends YAMLFactory {
    private static final long serialVersionUID = 1L;

    Factory(YAMLFactoryBuilder builder) {
      super(builder);
    }

    @Override
    protected YAMLParser _createParser(Reader r, IOContext ctxt) throws IOException {
      StringBuilder text = new StringBuilder();
      char[] buffer = new char[1 << 16];
      for (int n; (n = r.read(buffer)) >= 0; ) {
        text.append(buffer, 0, n);
      }
      return new Parser(
          ctxt,
          _parserFeatures,
          _yamlParserFeatures,
          _objectCodec,
          r,
          new ParserImpl(new WholeTextReader(text.toString()), _loaderOptions));
    }

    @Override
    protected YAMLParser _createParser(
        char[] data, int offset, int len, IOContext ctxt, boolean recyclable) throws IOException {
      return _createParser(new CharArrayReader(data, offset, len), ctxt);
    }
  }

  /** Opens the protected constructor that takes a ready SnakeYAML parser. */
  private static final class Parser extends YAMLParser {
    Parser(
        IOContext ctxt,
        int parserFeatures,
        int formatFeatures,
        ObjectCodec codec,
        Reader reader,
        ParserImpl parser) {
      super(ctxt, parserFeatures, formatFeatures, codec, reader, parser);
    }
  }
}
