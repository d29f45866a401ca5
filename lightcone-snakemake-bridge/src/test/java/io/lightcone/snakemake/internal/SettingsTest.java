package io.lightcone.snakemake.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The local budgets as snakemake's {@code --resources}, and real snakemake honouring them. */
class SettingsTest {
  @TempDir Path dir;

  @Test
  void resources_areTheBudgets_inSnakemakesUnits() {
    assertThat(Settings.defaults().withMemory(8L << 30).withGpus(2).resources())
        .containsExactly("--resources", "mem_mb=8589", "gpus=2");
    // By default: this machine's memory (as the local substrate counts it) and no gpus.
    assertThat(Settings.defaults().resources().get(2)).isEqualTo("gpus=0");
    assertThat(Settings.defaults().memory()).isPositive();
  }

  /**
   * Two rules that declare 600 MB each (as Workflow writes a recipe's memory) and a 1000 MB budget:
   * snakemake, with two cores, never runs them together. Each rule lists the markers of the rules
   * running while it sleeps.
   */
  @Test
  void realSnakemake_runsAtOnceOnlyWhatFitsTheMemoryBudget() throws Exception {
    StringBuilder snakefile = new StringBuilder("rule all:\n    input: 'a.txt', 'b.txt'\n");
    for (String r : List.of("a", "b")) {
      snakefile.append(
          """
          rule %s:
              output: '%s.txt'
              resources: mem_mb=600
              shell: 'touch run.%s; sleep 2; ls run.* > {output}; rm run.%s'
          """
              .formatted(r, r, r, r));
    }
    Files.writeString(dir.resolve("Snakefile"), snakefile.toString());
    List<String> argv =
        new ArrayList<>(List.of("snakemake", "--cores", "2", "--nolock", "--quiet"));
    argv.addAll(Settings.defaults().withMemory(1_000_000_000L).resources());
    Process p = new ProcessBuilder(argv).directory(dir.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    assertThat(Files.readString(dir.resolve("a.txt")).strip()).isEqualTo("run.a");
    assertThat(Files.readString(dir.resolve("b.txt")).strip()).isEqualTo("run.b");
  }
}
