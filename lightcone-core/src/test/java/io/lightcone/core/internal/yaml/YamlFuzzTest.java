package io.lightcone.core.internal.yaml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.quicktheories.QuickTheory.qt;

import io.lightcone.ValidationReport;
import io.lightcone.core.Project;
import io.lightcone.core.internal.fuzz.Fuzz;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The YAML loader against mutated projects and hostile files: its own problems, nothing else. */
class YamlFuzzTest {
  private static final List<String> TOKENS =
      List.of(
          ":",
          ": ",
          "- ",
          "{",
          "}",
          "[",
          "]",
          ",",
          "&a ",
          "*a",
          "<<: *a\n",
          "!!binary ",
          "!!str ",
          "!tag ",
          "? ",
          "\n",
          "\n  ",
          "\t",
          "'",
          "\"",
          "\\",
          "\\u",
          "\\ud800",
          "# ",
          "|\n",
          ">-\n",
          "%YAML 1.1\n",
          "---\n",
          "...\n",
          "@",
          "`",
          "\u0000",
          "\u0007",
          "\ufeff",
          "\u2028",
          "\ud83d\ude00",
          "~",
          "null",
          "1e999",
          ".nan",
          "0x1F",
          "{output}",
          "{{",
          "}}");

  @Test
  void mutatedYaml_givesProblemsNeverExceptions_andNoStackTrace() {
    List<byte[]> corpus =
        Fuzz.corpus("yaml", "period-luminosity.yaml", "universe.yaml", "tricky.yaml");
    Fuzz fuzz = new Fuzz("yaml loader");
    String stderr =
        Fuzz.stderrOf(
            () ->
                assertTimeoutPreemptively(
                    Duration.ofSeconds(120), // a hang guard only: a run takes seconds
                    () ->
                        qt().withFixedSeed(Fuzz.SEED)
                            .withExamples(Fuzz.EXAMPLES)
                            .forAll(Fuzz.mutations(corpus, TOKENS))
                            .checkAssert(
                                bytes -> {
                                  YamlReader.Result r = YamlReader.read("astra.yaml", bytes);
                                  for (YamlProblem p : r.problems()) {
                                    assertThat(p.message())
                                        .doesNotContain("Exception")
                                        .doesNotContain("java.")
                                        .doesNotContain("\tat ")
                                        .doesNotContain("snakeyaml");
                                  }
                                  fuzz.tried(
                                      r.problems().isEmpty()
                                          ? "ok"
                                          : r.problems().get(0).message());
                                })));
    assertThat(stderr).doesNotContain("\tat ").doesNotContain("Exception");
    System.out.println(fuzz.totals());
    assertThat(fuzz.count()).isGreaterThan(Fuzz.EXAMPLES / 2);
  }

  @Test
  void hundredMegabyteYaml_isRefusedBySizeNamingTheFile_withoutReadingIt(@TempDir Path dir)
      throws IOException {
    Files.createDirectories(dir.resolve("universes"));
    try (RandomAccessFile f = new RandomAccessFile(dir.resolve("astra.yaml").toFile(), "rw")) {
      f.setLength(100L << 20);
    }
    ValidationReport r =
        assertTimeoutPreemptively(Duration.ofSeconds(30), () -> Project.validate(dir));
    assertThat(r.errors())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.file()).isEqualTo("astra.yaml");
              assertThat(p.message()).contains("100.0 MiB").contains("8 MiB");
            });
  }

  @Test
  void oneLongString_isReadInLinearWork() {
    // SnakeYAML's reader copied its whole window every 1,024 characters of a token: a 7.5 MiB
    // string took 15 s (quadratic; ~30 GB of copies). The bound is on work (bytes this thread
    // allocates), not time: linear reading allocates a few hundred MB at most.
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
    int size = (int) (7.5 * (1 << 20));
    for (String quote : new String[] {"\"", "", "'"}) {
      byte[] bytes =
          ("id: demo\nname: " + quote + "x".repeat(size) + quote + "\n")
              .getBytes(StandardCharsets.UTF_8);
      long before = threads.getCurrentThreadAllocatedBytes();
      YamlReader.Result r = YamlReader.read("astra.yaml", bytes);
      long allocated = threads.getCurrentThreadAllocatedBytes() - before;
      assertThat(r.problems()).as("quote %s", quote).isEmpty();
      assertThat(allocated).as("bytes allocated, quote %s", quote).isLessThan(1L << 30);
    }
  }

  @Test
  void tenThousandLevels_invalidUtf8_andLoneSurrogates_areProblemsWithAPosition() {
    List<byte[]> cases =
        List.of(
            ("id: x\nname: " + "[".repeat(10_000) + "]".repeat(10_000) + "\n")
                .getBytes(StandardCharsets.UTF_8),
            ("id: x\nname: " + "{a: ".repeat(10_000) + "1" + "}".repeat(10_000) + "\n")
                .getBytes(StandardCharsets.UTF_8),
            new byte[] {'i', 'd', ':', ' ', (byte) 0xc3, 0x28, '\n'},
            new byte[] {'i', 'd', ':', ' ', (byte) 0xff, (byte) 0xfe, '\n'},
            // A lone surrogate encoded as UTF-8 (CESU): not UTF-8, so not YAML.
            new byte[] {(byte) 0xed, (byte) 0xa0, (byte) 0x80, ':', ' ', 'x', '\n'});
    for (byte[] bytes : cases) {
      YamlReader.Result r =
          assertTimeoutPreemptively(
              Duration.ofSeconds(20), () -> YamlReader.read("astra.yaml", bytes));
      assertThat(r.problems()).as(new String(bytes, StandardCharsets.ISO_8859_1)).isNotEmpty();
      for (YamlProblem p : r.problems()) {
        assertThat(p.message()).doesNotContain("Exception").doesNotContain("java.");
        assertThat(p.mark().toString()).startsWith("astra.yaml");
      }
    }
  }
}
