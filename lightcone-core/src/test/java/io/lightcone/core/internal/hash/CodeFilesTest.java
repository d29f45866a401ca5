package io.lightcone.core.internal.hash;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The code-file formulas (docs/code-tracking.md): fixed vectors computed with Python's hashlib and
 * {@code sha256sum}, and properties of the record (order does not matter, every path and version
 * does, the framing is prefix-free).
 */
class CodeFilesTest {
  private static final String ZEROS = "sha256:" + "0".repeat(64);
  private static final String ONES = "sha256:" + "1".repeat(64);

  @TempDir Path project;

  @Test
  void fileVersion_isSha256OfTheBytes_asSha256sumPrintsIt() throws IOException {
    Files.createDirectories(project.resolve("src"));
    Files.writeString(project.resolve("src/hello.py"), "hello\n");

    // printf 'hello\n' | sha256sum
    assertThat(CodeFiles.version(project, "src/hello.py"))
        .isEqualTo("sha256:5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03");
  }

  @Test
  void directoryVersion_isItsTreeAsDataVersion() throws IOException {
    Files.createDirectories(project.resolve("lib/sub"));
    Files.writeString(project.resolve("lib/a.R"), "a <- 1\n");
    Files.writeString(project.resolve("lib/sub/b.R"), "b <- 2\n");

    assertThat(CodeFiles.version(project, "lib/"))
        .isEqualTo(DataVersion.of(project.resolve("lib"), 1));
  }

  @Test
  void version_ofAFileThatIsGoneOrOfTheWrongKind_throwsNoSuchFile() throws IOException {
    Files.createDirectories(project.resolve("lib"));
    Files.writeString(project.resolve("x.py"), "");

    assertThatThrownBy(() -> CodeFiles.version(project, "gone.py"))
        .isInstanceOf(NoSuchFileException.class)
        .hasMessage("gone.py");
    assertThatThrownBy(() -> CodeFiles.version(project, "lib"))
        .isInstanceOf(NoSuchFileException.class);
    assertThatThrownBy(() -> CodeFiles.version(project, "x.py/"))
        .isInstanceOf(NoSuchFileException.class);
  }

  @Test
  void record_fixedVectors() {
    // hashlib.sha256(b"".join(f.encode() + b"\0" for f in ["lightcone-code-files-1", "lib/",
    //     "sha256:" + "1" * 64, "src/estimate.py", "sha256:" + "0" * 64])).hexdigest()
    Map<String, String> files = new LinkedHashMap<>();
    files.put("src/estimate.py", ZEROS);
    files.put("lib/", ONES);
    assertThat(CodeFiles.record(files))
        .isEqualTo("sha256:9bc213a86838329ec05994b5ded9d55701fabdb74b4de430cd68ac0a49612fa4");
    assertThat(CodeFiles.record(Map.of())).isEmpty();
  }

  @Test
  void record_ignoresOrder_andEveryPathAndVersionMatters() {
    Random r = Generate.random("code-files");
    for (int i = 0; i < 200; i++) {
      Map<String, String> files = new LinkedHashMap<>();
      int n = 1 + r.nextInt(6);
      while (files.size() < n) {
        files.put(path(r), "sha256:" + hex(r));
      }
      String example = "seed " + Generate.SEED + ", example " + i + ": " + files;
      String record = CodeFiles.record(files);

      List<String> keys = new ArrayList<>(files.keySet());
      Collections.shuffle(keys, r);
      Map<String, String> shuffled = new LinkedHashMap<>();
      keys.forEach(k -> shuffled.put(k, files.get(k)));
      assertThat(CodeFiles.record(shuffled)).as(example).isEqualTo(record);

      Set<String> seen = new HashSet<>(Set.of(record));
      for (String k : files.keySet()) {
        Map<String, String> other = new LinkedHashMap<>(files);
        other.put(k, "sha256:" + hex(r));
        assertThat(seen.add(CodeFiles.record(other))).as("%s, version of %s", example, k).isTrue();
        Map<String, String> renamed = new LinkedHashMap<>(files);
        renamed.put(k + "x", renamed.remove(k));
        assertThat(seen.add(CodeFiles.record(renamed))).as("%s, rename of %s", example, k).isTrue();
        Map<String, String> fewer = new LinkedHashMap<>(files);
        fewer.remove(k);
        assertThat(CodeFiles.record(fewer)).as("%s, without %s", example, k).isNotEqualTo(record);
      }
    }
  }

  @Test
  void record_framingIsPrefixFree() {
    assertThat(CodeFiles.record(Map.of("ab", "c")))
        .isNotEqualTo(CodeFiles.record(Map.of("a", "bc")));
    assertThat(CodeFiles.record(Map.of("a", "b", "c", "d")))
        .isNotEqualTo(CodeFiles.record(Map.of("a", "b\u0001c", "d", "")));
  }

  private static String path(Random r) {
    StringBuilder s = new StringBuilder();
    int parts = 1 + r.nextInt(3);
    for (int p = 0; p < parts; p++) {
      s.append(p == 0 ? "" : "/").append((char) ('a' + r.nextInt(3)));
      if (r.nextInt(4) == 0) {
        s.append('é');
      }
    }
    return s.append(r.nextBoolean() ? ".py" : "/").toString();
  }

  private static String hex(Random r) {
    byte[] b = new byte[32];
    r.nextBytes(b);
    return java.util.HexFormat.of().formatHex(b);
  }
}
