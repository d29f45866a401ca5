package io.lightcone.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code lc run}, {@code status}, {@code verify} and {@code plan} through the shaded jar. */
class RunJarIT {
  @TempDir Path dir;

  @Test
  void sample_runVerifyStatus_thenADecisionEdit_thenATamperedByte() throws Exception {
    JarLc lc = new JarLc(dir);
    Path project = TestProjects.copyOfSample("period-luminosity", dir.resolve("pl"));
    String p = project.toString();

    JarLc.Run run = lc.run("run", "-C", p);
    assertThat(run.exitCode()).as(run.all()).isZero();
    assertThat(run.outLines().get(run.outLines().size() - 1))
        .matches("11 tasks: 11 succeeded in \\d+\\.\\ds");
    assertThat(run.err()).isEmpty();

    JarLc.Run verify = lc.run("verify", "-C", p);
    assertThat(verify.exitCode()).as(verify.all()).isZero();
    assertThat(verify.out()).endsWith("11 outputs verified, no integrity failure.\n");

    JarLc.Run status = lc.run("status", "-C", p);
    assertThat(status.exitCode()).as(status.all()).isZero();
    assertThat(status.out()).endsWith("11 outputs: 11 ok\n");

    // A decision edited in a universe file: its outputs and everything downstream go stale.
    TestProjects.edit(
        project.resolve("universes/baseline.yaml"), "magnitude: wesenheit", "magnitude: v_band");

    JarLc.Run stale = lc.run("status", "-C", p);
    assertThat(stale.exitCode()).as(stale.all()).isZero();
    assertThat(stale.outLines())
        .anyMatch(
            l ->
                l.matches(
                    "baseline +photometry +stale +code changed: decisions"
                        + " \\(magnitude: wesenheit → v_band\\)"))
        .anyMatch(l -> l.matches("robust_v_band +photometry +ok *"));

    JarLc.Run plan = lc.run("plan", "-C", p);
    assertThat(plan.exitCode()).as(plan.all()).isZero();
    assertThat(plan.outLines())
        .filteredOn(l -> l.matches("\\S+ +(run|restore)( .*)?"))
        .extracting(l -> l.split(" +")[0] + " " + l.split(" +")[1])
        .containsExactly(
            // robust_v_band made the V-band photometry already: the cache has it.
            "baseline/photometry restore",
            "baseline/pl_fit run",
            "baseline/calibration.zero_point run",
            "baseline/distance run",
            // v_band turns on the reddening check in baseline too: a new, missing output.
            "baseline/reddening_check run",
            "baseline/pl_diagram run");
    assertThat(plan.outLines()).last().isEqualTo("12 tasks in 2 universe(s): 6 to run");

    // One flipped byte in a published output.
    Path fit = project.resolve("results/robust_v_band/pl_fit/fit.json");
    byte[] bytes = Files.readAllBytes(fit);
    bytes[bytes.length / 2] ^= 0x20;
    Files.write(fit, bytes);

    JarLc.Run tampered = lc.run("verify", "-C", p);
    assertThat(tampered.exitCode()).as(tampered.all()).isEqualTo(1);
    assertThat(tampered.outLines())
        .anyMatch(l -> l.matches("robust_v_band +pl_fit +tampered_data .*"))
        .last()
        .isEqualTo("1 integrity failure(s).");
  }
}
