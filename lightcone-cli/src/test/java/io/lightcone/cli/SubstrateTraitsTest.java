package io.lightcone.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.lightcone.core.LocalSubstrate;
import io.lightcone.dask.DaskDispatch;
import io.lightcone.dask.DaskSubstrate;
import io.lightcone.slurm.SlurmSubstrate;
import io.lightcone.snakemake.SnakemakeDispatch;
import io.lightcone.snakemake.SnakemakeSubstrate;
import io.lightcone.spi.Substrate;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the CLI asks a substrate through the SPI instead of testing its class: whether it runs
 * recipes on this machine (the login-node warning) and whether it has a dry run for {@code lc plan
 * --substrate NAME}.
 */
class SubstrateTraitsTest {

  @Test
  void runsOnThisMachine_isTrueForWhatRunsHere_andFalseForWhatSendsWorkAway() {
    assertThat(LocalSubstrate.create().runsOnThisMachine()).isTrue();
    assertThat(SnakemakeSubstrate.create().runsOnThisMachine()).isTrue();
    assertThat(DaskSubstrate.create().runsOnThisMachine()).as("a cluster per run, here").isTrue();
    assertThat(SnakemakeSubstrate.create().dispatch(DaskDispatch.create()).runsOnThisMachine())
        .as("a Dask cluster per run, here")
        .isTrue();
    SnakemakeDispatch away =
        new SnakemakeDispatch() {
          @Override
          public String name() {
            return "elsewhere";
          }

          @Override
          public Optional<Session> start(
              Path project, java.util.List<Job> jobs, io.lightcone.spi.Cancellation c) {
            return Optional.empty();
          }
        };
    assertThat(SnakemakeSubstrate.create().dispatch(away).runsOnThisMachine()).isFalse();
    assertThat(SlurmSubstrate.create().runsOnThisMachine()).isFalse();
    Substrate unknown =
        new Substrate() {
          @Override
          public String name() {
            return "elsewhere";
          }

          @Override
          public io.lightcone.ExecutionReport execute(io.lightcone.spi.ExecutionContext c) {
            throw new AssertionError("not run");
          }
        };
    assertThat(unknown.runsOnThisMachine()).isFalse();
    assertThat(unknown.dryRunner()).isEmpty();
  }

  @Test
  void dryRunner_isSnakemakesAlone() {
    assertThat(SnakemakeSubstrate.create().dryRunner())
        .hasValueSatisfying(
            d -> assertThat(d.heading()).isEqualTo("snakemake --dry-run of .lightcone/Snakefile"));
    assertThat(LocalSubstrate.create().dryRunner()).isEmpty();
    assertThat(DaskSubstrate.create().dryRunner()).isEmpty();
    assertThat(SlurmSubstrate.create().dryRunner()).isEmpty();
  }

  @Test
  void plan_withASubstrateThatHasNoDryRun_isAUsageErrorNamingIt(@TempDir Path dir) {
    Path project = TestProjects.copyOfSample("period-luminosity", dir.resolve("pl"));
    Lc.Result r = Lc.run("plan", "-C", project.toString(), "--substrate", "dask");
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains("--substrate dask has no dry run to show");
  }
}
