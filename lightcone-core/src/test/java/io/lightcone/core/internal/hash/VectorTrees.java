package io.lightcone.core.internal.hash;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;

/** Reads the test vectors under {@code src/test/resources/vectors} and builds their trees. */
final class VectorTrees {
  static final ObjectMapper JSON = new ObjectMapper();

  private VectorTrees() {}

  static JsonNode resource(String name) {
    try (InputStream in = VectorTrees.class.getResourceAsStream("/vectors/" + name)) {
      return JSON.readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String text(String name) {
    try (InputStream in = VectorTrees.class.getResourceAsStream("/vectors/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Builds the tree called {@code name} of trees.json under {@code root}. */
  static Path build(Path root, String name) throws IOException {
    for (JsonNode tree : resource("trees.json")) {
      if (tree.get("name").asText().equals(name)) {
        Files.createDirectories(root);
        for (JsonNode e : tree.get("entries")) {
          Path p = root.resolve(e.get("path").asText());
          Files.createDirectories(p.getParent());
          if (e.has("dir")) {
            Files.createDirectories(p);
          } else if (e.has("symlink")) {
            Files.createSymbolicLink(p, Path.of(e.get("symlink").asText()));
          } else if (e.has("hex")) {
            Files.write(p, HexFormat.of().parseHex(e.get("hex").asText()));
          } else {
            Files.writeString(p, e.get("text").asText());
          }
        }
        return root;
      }
    }
    throw new IllegalArgumentException("no tree " + name);
  }
}
