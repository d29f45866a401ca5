package io.lightcone.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.lightcone.OutputStatus;
import io.lightcone.StatusReport;
import io.lightcone.VerifyReport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExportTest {
  @TempDir Path dir;

  /** Two universes, a path: sub-analysis, an input inside the project, non-ASCII names. */
  static Path ranProject(Path dir) {
    Path project =
        TestProjects.write(
            dir,
            "astra.yaml",
            """
            id: exported
            inputs:
              - id: stars
                type: data
                source: data/étoiles.csv
            decisions:
              scale:
                label: Scale
                options: {one: {label: One}, two: {label: Two}}
            outputs:
              - id: table
                type: table
                inputs: [stars]
                decisions: [scale]
                recipe:
                  command: "cp {inputs.stars} {output}/résumé.csv && echo {decisions.scale} > {output}/scale.txt"
              - id: total
                type: data
                inputs: [table, sub.count]
                recipe:
                  command: "cat {inputs.table}/scale.txt {inputs.sub.count}/n > {output}/total"
            analyses:
              sub:
                path: sub
            """,
            "sub/astra.yaml",
            """
            id: sub
            outputs:
              - id: count
                type: data
                recipe:
                  command: "mkdir -p {output}/deep/empty && echo 3 > {output}/n"
            """,
            "data/étoiles.csv",
            "x,y\n1,2\n3,4\n",
            "universes/one.yaml",
            "id: one\ndecisions: {scale: one}\n",
            "universes/two.yaml",
            "id: two\ndecisions: {scale: two}\n");
    Project.load(project)
        .plan(io.lightcone.PlanOptions.defaults(), RunOptions.builder().cache(false).build())
        .execute(LocalSubstrate.create())
        .throwIfFailed();
    return project;
  }

  static void untar(Path archive, Path into) throws IOException, InterruptedException {
    Files.createDirectories(into);
    Process tar =
        new ProcessBuilder("tar", "--zstd", "-xf", archive.toString(), "-C", into.toString())
            .redirectErrorStream(true)
            .start();
    String output = new String(tar.getInputStream().readAllBytes());
    assertThat(tar.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(tar.exitValue()).as(output).isZero();
  }

  @Test
  void exportArchive_unpacked_verifiesClean_andStatusAllOk() throws Exception {
    Path project = ranProject(dir.resolve("p"));
    Path archive = dir.resolve("out/p.tar.zst");

    List<String> entries = Project.load(project).exportArchive(archive, List.of());
    Path unpacked = dir.resolve("elsewhere");
    untar(archive, unpacked);

    assertThat(entries)
        .contains(
            "astra.yaml",
            "sub/astra.yaml",
            "universes/one.yaml",
            "universes/two.yaml",
            "data/étoiles.csv",
            "results/one/table/résumé.csv",
            "results/two/total/.lightcone-manifest.json",
            "sub/results/one/count/deep/empty")
        .isSorted()
        .noneMatch(e -> e.startsWith(".lightcone/"));
    Project copy = Project.load(unpacked);
    VerifyReport verify = copy.verify();
    assertThat(verify.passed()).as(verify.toString()).isTrue();
    assertThat(verify.results()).hasSize(6);
    StatusReport status = copy.status();
    assertThat(status.outputs())
        .as(status.toString())
        .hasSize(6)
        .allMatch(o -> o.state() == OutputStatus.State.OK);
  }

  @Test
  void exportArchive_twice_isByteIdentical() throws Exception {
    Path project = ranProject(dir.resolve("p"));

    Project.load(project).exportArchive(dir.resolve("a.tar.zst"), List.of());
    Project.load(project).exportArchive(dir.resolve("b.tar.zst"), List.of());

    assertThat(Files.readAllBytes(dir.resolve("a.tar.zst")))
        .isEqualTo(Files.readAllBytes(dir.resolve("b.tar.zst")));
  }

  @Test
  void exportArchive_oneUniverse_leavesTheOtherOut() throws Exception {
    Path project = ranProject(dir.resolve("p"));

    List<String> entries =
        Project.load(project).exportArchive(dir.resolve("one.tar.zst"), List.of("one"));
    Path unpacked = dir.resolve("one");
    untar(dir.resolve("one.tar.zst"), unpacked);

    assertThat(entries)
        .contains("universes/one.yaml", "results/one/total/total")
        .noneMatch(e -> e.contains("two"));
    assertThat(Project.load(unpacked).verify().passed()).isTrue();
  }
}
