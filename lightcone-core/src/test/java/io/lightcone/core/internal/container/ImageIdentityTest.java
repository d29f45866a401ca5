package io.lightcone.core.internal.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lightcone.LightconeException;
import io.lightcone.core.internal.hash.Generate;
import io.lightcone.core.internal.hash.ImageTag;
import io.lightcone.core.internal.status.InputMemo;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The image identity of a Containerfile: fixed vectors computed independently in Python
 * (vectors/README.md, "Image tags"), and properties of the tag over generated projects.
 */
class ImageIdentityTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final JsonNode PROJECTS = resource("images.json");
  private static final JsonNode EXPECTED = resource("images-expected.json");

  @TempDir Path dir;

  static Stream<String> projects() {
    return StreamSupport.stream(PROJECTS.spliterator(), false).map(p -> p.get("name").asText());
  }

  @ParameterizedTest
  @MethodSource("projects")
  void tag_matchesPython(String name) throws IOException {
    JsonNode project = project(name);
    Path root = dir.resolve(name);
    for (Iterator<Map.Entry<String, JsonNode>> it = project.get("files").fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> f = it.next();
      Path p = root.resolve(f.getKey());
      Files.createDirectories(p.getParent());
      if (f.getValue().isObject()) {
        Files.write(p, HexFormat.of().parseHex(f.getValue().get("hex").asText()));
      } else {
        Files.writeString(p, f.getValue().asText());
      }
    }
    BuildContext context = BuildContext.of(root, project.get("containerfile").asText());
    List<String> files = new ArrayList<>();
    EXPECTED.get(name).get("files").forEach(f -> files.add(f.asText()));
    assertThat(context.parts()).extracting(ImageTag.Part::path).containsExactlyElementsOf(files);
    assertThat(context.tag(project.get("project_name").asText(), root))
        .isEqualTo(EXPECTED.get(name).get("tag").asText());
    // Through Images twice: hashed once and remembered, then from the memo.
    Files.createDirectories(root.resolve(".lightcone"));
    for (int load = 0; load < 2; load++) {
      Images images = new Images(root, project.get("project_name").asText(), memo(root));
      assertThat(images.resolve(project.get("containerfile").asText(), "").identity())
          .as("load %d", load)
          .isEqualTo(EXPECTED.get(name).get("tag").asText());
    }
  }

  /** A memo whose clock runs an hour ahead, so that files written by the test are not racy. */
  private static InputMemo memo(Path project) {
    return InputMemo.open(project, Clock.offset(Clock.systemUTC(), Duration.ofHours(1)));
  }

  @Test
  void contentTag_isRememberedAcrossLoads_untilAFileOfTheContextOrTheNameChanges()
      throws IOException {
    Files.createDirectories(dir.resolve(".lightcone"));
    Files.writeString(dir.resolve("Containerfile"), "FROM scratch\nCOPY model.bin /model.bin\n");
    Files.writeString(dir.resolve("model.bin"), "weights v1");
    String tag = new Images(dir, "x", memo(dir)).resolve("Containerfile", "").identity();
    assertThat(tag).isEqualTo(BuildContext.of(dir, "Containerfile").tag("x", dir));

    // The next load believes the memo while no file changed: it does not read them again.
    Path memoFile = dir.resolve(".lightcone/state/input-versions.json");
    Files.writeString(memoFile, Files.readString(memoFile).replace(tag, "lc-x-believed"));
    assertThat(new Images(dir, "x", memo(dir)).resolve("Containerfile", "").identity())
        .isEqualTo("lc-x-believed");

    // A file of the context changes: hashed again, the true tag.
    Files.writeString(dir.resolve("model.bin"), "weights v2, longer");
    String edited = new Images(dir, "x", memo(dir)).resolve("Containerfile", "").identity();
    assertThat(edited)
        .isEqualTo(BuildContext.of(dir, "Containerfile").tag("x", dir))
        .isNotIn(tag, "lc-x-believed");

    // Another project name is another tag, with the same files.
    assertThat(new Images(dir, "y", memo(dir)).resolve("Containerfile", "").identity())
        .startsWith("lc-y-");
  }

  @Test
  void containerfile_sourcesSkipFromUrlsHeredocsAndComments() {
    String text =
        """
        # escape=\\
        FROM python:3.11 AS base
        # COPY commented /x
        COPY a \\
          # a comment inside the continuation
          b /dst/
        RUN <<-EOF
        \tCOPY inside-heredoc /x
        \tEOF
        COPY --from=base /app /app
        ADD https://example.org/x.tgz git@github.com:o/r.git local.tgz /opt/
        COPY --link ["with space", "/dst"]
        ONBUILD COPY later /later
        COPY <<EOT /etc/motd
        hi
        EOT
        copy c /dst/
        """;
    assertThat(Containerfile.sources(text))
        .extracting(Containerfile.Source::path)
        .containsExactly("a", "b", "local.tgz", "with space", "c");
    assertThat(Containerfile.sources(text).get(0).line()).isEqualTo(4);
  }

  @Test
  void imageName_isItsOwnIdentity_andAMissingContainerfileIsAnError() throws IOException {
    Images images = new Images(dir, "x", InputMemo.none());
    assertThat(images.resolve("python:3.11-slim", "").identity()).isEqualTo("python:3.11-slim");
    assertThat(images.resolve("ghcr.io/org/img:latest", "sub").built()).isFalse();
    assertThatThrownBy(() -> images.resolve("containers/Containerfile", "sub"))
        .isInstanceOf(LightconeException.class)
        .hasMessageContaining("sub/astra.yaml: container 'containers/Containerfile'")
        .hasMessageContaining("sub/containers/Containerfile");
    Files.createDirectories(dir.resolve("sub"));
    Files.writeString(dir.resolve("sub/Containerfile"), "FROM scratch\n");
    Images.Image image = images.resolve("Containerfile", "sub");
    assertThat(image.containerfile()).contains("sub/Containerfile");
    assertThat(image.identity()).matches("lc-x-[0-9a-f]{12}");
  }

  // --- properties over generated projects -------------------------------------------------

  /** A generated project: file contents by path, and the Containerfile. */
  private record Gen(Map<String, byte[]> files, String containerfile) {}

  private static Gen generate(Random r) {
    Map<String, byte[]> files = new LinkedHashMap<>();
    List<String> deps =
        new ArrayList<>(
            List.of(
                "requirements.txt",
                "requirements-" + r.nextInt(100) + ".txt",
                "pyproject.toml",
                "uv.lock",
                "environment.yml",
                "setup.py"));
    Collections.shuffle(deps, r);
    for (String d : deps.subList(0, 1 + r.nextInt(deps.size()))) {
      files.put(d, bytes(r));
    }
    StringBuilder cf = new StringBuilder("FROM scratch\n");
    int copies = 1 + r.nextInt(4);
    for (int i = 0; i < copies; i++) {
      switch (r.nextInt(3)) {
        case 0 -> {
          String f = "src" + i + "/file" + r.nextInt(10) + ".py";
          files.put(f, bytes(r));
          cf.append("COPY ").append(f).append(" /app/\n");
        }
        case 1 -> {
          for (int k = 0; k < 1 + r.nextInt(3); k++) {
            files.put("dir" + i + "/sub" + r.nextInt(3) + "/f" + k + ".dat", bytes(r));
          }
          files.put("dir" + i + "/results/skipped.dat", bytes(r));
          files.put("dir" + i + "/__pycache__/skipped.pyc", bytes(r));
          cf.append("COPY dir").append(i).append(" /data/\n");
        }
        default -> {
          for (int k = 0; k < 1 + r.nextInt(3); k++) {
            files.put("glob" + i + "/m" + k + ".txt", bytes(r));
          }
          files.put("glob" + i + "/unmatched.csv", bytes(r));
          cf.append("COPY glob").append(i).append("/*.txt /g/\n");
        }
      }
    }
    files.put("Containerfile", cf.toString().getBytes(StandardCharsets.UTF_8));
    return new Gen(files, "Containerfile");
  }

  private static byte[] bytes(Random r) {
    byte[] b = new byte[r.nextInt(40)];
    r.nextBytes(b);
    return b;
  }

  private Path write(Gen g, String name, List<String> order) throws IOException {
    Path root = dir.resolve(name);
    for (String f : order) {
      Path p = root.resolve(f);
      Files.createDirectories(p.getParent());
      Files.write(p, g.files().get(f));
    }
    return root;
  }

  private static String tag(Path root) throws IOException {
    return BuildContext.of(root, "Containerfile").tag("prop", root);
  }

  @Test
  void anyByteOfAnyHashedFile_changesTheTag() throws IOException {
    Random r = Generate.random("image-tag-any-byte");
    for (int n = 0; n < 25; n++) {
      Gen g = generate(r);
      Path root = write(g, "p" + n, new ArrayList<>(g.files().keySet()));
      String before = tag(root);
      for (String f : BuildContext.of(root, "Containerfile").files()) {
        Path p = root.resolve(f);
        byte[] original = Files.readAllBytes(p);
        byte[] changed;
        if (original.length == 0 || r.nextInt(4) == 0) {
          changed = java.util.Arrays.copyOf(original, original.length + 1); // one byte more
        } else {
          changed = original.clone();
          changed[r.nextInt(changed.length)] ^= (byte) (1 << r.nextInt(8));
        }
        Files.write(p, changed);
        assertThat(tag(root)).as("%s of project %d changed", f, n).isNotEqualTo(before);
        Files.write(p, original);
      }
      assertThat(tag(root)).isEqualTo(before);
    }
  }

  @Test
  void orderInWhichFilesAreCreated_doesNotMatter() throws IOException {
    Random r = Generate.random("image-tag-order");
    for (int n = 0; n < 25; n++) {
      Gen g = generate(r);
      List<String> order = new ArrayList<>(g.files().keySet());
      Path a = write(g, "a" + n, order);
      Collections.shuffle(order, r);
      Path b = write(g, "b" + n, order);
      assertThat(tag(a)).isEqualTo(tag(b));
    }
  }

  @Test
  void unrelatedFiles_doNotChangeTheTag() throws IOException {
    Random r = Generate.random("image-tag-unrelated");
    for (int n = 0; n < 25; n++) {
      Gen g = generate(r);
      Path root = write(g, "p" + n, new ArrayList<>(g.files().keySet()));
      String before = tag(root);
      for (String unrelated :
          List.of(
              "README.md",
              "notes/requirements.txt", // dependency files count at the root only
              "results/baseline/out/x.json",
              ".lightcone/cache/blob",
              "dir0/.git/HEAD",
              "glob0/other.csv",
              "src0/not-copied.py")) {
        Path p = root.resolve(unrelated);
        Files.createDirectories(p.getParent());
        Files.write(p, bytes(r));
      }
      assertThat(tag(root)).as("project %d", n).isEqualTo(before);
    }
  }

  @Test
  void framing_isPrefixFree_bytesMovedBetweenFilesChangeTheTag() throws IOException {
    Path a = dir.resolve("a");
    Path b = dir.resolve("b");
    for (Path root : List.of(a, b)) {
      Files.createDirectories(root);
      Files.writeString(root.resolve("Containerfile"), "FROM scratch\nCOPY x y /d/\n");
    }
    Files.writeString(a.resolve("x"), "ab");
    Files.writeString(a.resolve("y"), "c");
    Files.writeString(b.resolve("x"), "a");
    Files.writeString(b.resolve("y"), "bc");
    assertThat(tag(a)).isNotEqualTo(tag(b));
  }

  private static JsonNode project(String name) {
    for (JsonNode p : PROJECTS) {
      if (p.get("name").asText().equals(name)) {
        return p;
      }
    }
    throw new IllegalArgumentException(name);
  }

  private static JsonNode resource(String name) {
    try (InputStream in = ImageIdentityTest.class.getResourceAsStream("/vectors/" + name)) {
      return JSON.readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
