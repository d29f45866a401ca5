package io.lightcone.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.PrettyPrinter;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.List;
import java.util.Optional;

/**
 * The one JSON style of {@code lc}: two-space indent, one item per line, {@code "key": value} —
 * what people diff and jq reads alike. Reports are streamed through a {@link JsonGenerator}, so a
 * plan of 100 000 tasks prints without building a tree first.
 *
 * <pre>{@code
 * Json.write(out, g -> { g.writeStartObject(); g.writeNumberField("failures", 0); g.writeEndObject(); });
 * }</pre>
 */
final class Json {
  private static final JsonFactory FACTORY =
      JsonFactory.builder().disable(StreamWriteFeature.AUTO_CLOSE_TARGET).build();

  private Json() {}

  /** A writer of JSON values to a generator; may throw what the generator throws. */
  interface Body {
    void write(JsonGenerator g) throws IOException;
  }

  /** The pretty printer of every {@code --json}. */
  static PrettyPrinter prettyPrinter() {
    return new DefaultPrettyPrinter()
        .withSeparators(
            Separators.createDefaultInstance()
                .withObjectFieldValueSpacing(Separators.Spacing.AFTER)
                .withObjectEmptySeparator("")
                .withArrayEmptySeparator(""))
        .withObjectIndenter(new DefaultIndenter("  ", "\n"))
        .withArrayIndenter(new DefaultIndenter("  ", "\n"));
  }

  /** Writes one JSON document to {@code out}, then a newline; leaves {@code out} open. */
  static void write(Writer out, Body body) {
    try (JsonGenerator g = FACTORY.createGenerator(out)) {
      g.setPrettyPrinter(prettyPrinter());
      body.write(g);
      g.flush();
      out.write('\n');
      out.flush();
    } catch (IOException e) {
      // picocli's writers are PrintWriters, which do not throw; a failing one is the environment.
      throw new UncheckedIOException("cannot write JSON", e);
    }
  }

  /**
   * Writes one JSON document on one line to {@code out}, then a newline, and flushes it: a line of
   * a JSON Lines stream ({@code lc run --json}); leaves {@code out} open.
   */
  static void line(Writer out, Body body) {
    try (JsonGenerator g = FACTORY.createGenerator(out)) {
      body.write(g);
      g.flush();
      out.write('\n');
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write JSON", e);
    }
  }

  /** {@code "name": ["a", "b"]}. */
  static void stringArray(JsonGenerator g, String name, List<String> values) throws IOException {
    g.writeArrayFieldStart(name);
    for (String v : values) {
      g.writeString(v);
    }
    g.writeEndArray();
  }

  /** {@code "name": "value"}, or {@code "name": null} when empty. */
  static void optionalString(JsonGenerator g, String name, Optional<String> value)
      throws IOException {
    if (value.isPresent()) {
      g.writeStringField(name, value.get());
    } else {
      g.writeNullField(name);
    }
  }
}
