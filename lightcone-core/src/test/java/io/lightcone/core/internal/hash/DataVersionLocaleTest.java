package io.lightcone.core.internal.hash;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Java 17 decodes file names with the charset of the locale it started in. A JVM started with
 * {@code LANG} unset or {@code C} (containers, cron, batch jobs) must still hash a UTF-8 name as
 * its UTF-8 bytes, as Python does, not as the U+FFFD its own decoding gives. Only a second JVM can
 * start in another locale.
 */
class DataVersionLocaleTest {
  @Test
  void dataVersion_inAJvmStartedUnderTheCLocale_hashesUtf8NamesAsWritten(@TempDir Path dir)
      throws IOException, InterruptedException {
    Trees t = new Trees();
    t.dirs.add("\u4e2d");
    t.add("\u00e9\ud83d\ude00.txt", "x".getBytes(StandardCharsets.UTF_8));
    t.add("\u4e2d/\ufb01le", "y".getBytes(StandardCharsets.UTF_8));
    t.add("\u4e2d/\ufffd", new byte[0]);
    t.add("plain", "z".getBytes(StandardCharsets.UTF_8));
    Path root = t.write(dir.resolve("out"), new java.util.Random(1));
    DataVersion.Versions expected = t.versions();
    assertThat(DataVersion.versions(root, 1)).as("this JVM").isEqualTo(expected);

    Path err = dir.resolve("stderr");
    ProcessBuilder pb =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                classpath(),
                HashBench.class.getName(),
                "version",
                root.toString(),
                "1")
            .redirectError(err.toFile());
    Map<String, String> env = pb.environment();
    env.keySet().removeIf(k -> k.startsWith("LC_") || k.equals("LANG"));
    env.put("LC_ALL", "C");
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    String stderr = Files.readString(err);
    assertThat(stderr).as("the child JVM decodes names as ASCII").doesNotContain("=UTF-8");
    assertThat(out)
        .as("exit %d, stderr %s", p.exitValue(), stderr)
        .isEqualTo(expected.dataVersion() + " " + expected.treeVersion());
  }

  /** Core's classes and these tests': all {@link HashBench} needs, no third-party jar. */
  private static String classpath() {
    return Path.of(location(DataVersion.class)) + ":" + Path.of(location(HashBench.class));
  }

  private static java.net.URI location(Class<?> c) {
    try {
      return c.getProtectionDomain().getCodeSource().getLocation().toURI();
    } catch (java.net.URISyntaxException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void dataVersion_nameThatIsNotUtf8_isAnErrorNotAHashOfReplacementCharacters(@TempDir Path dir)
      throws IOException, InterruptedException {
    // Python's formula fails on such a name (str.encode("utf-8") of a surrogate escape); two
    // different bytes would otherwise both hash as U+FFFD. Only a non-Java tool can write one.
    Path root = Files.createDirectories(dir.resolve("out"));
    Process p =
        new ProcessBuilder(
                PythonOracle.PYTHON,
                "-c",
                "import os, sys; open(os.path.join(os.fsencode(sys.argv[1]), b'\\xff'), 'wb').close()",
                root.toString())
            .inheritIO()
            .start();
    assertThat(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0).isTrue();
    assertThatThrownBy(() -> DataVersion.versions(root, 1))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("not UTF-8");
  }
}
