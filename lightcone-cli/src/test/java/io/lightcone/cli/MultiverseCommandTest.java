package io.lightcone.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code lc run --multiverse} and what every later command sees of the enumerated universes. */
class MultiverseCommandTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  /**
   * Decisions {@code estimator} and {@code scale} in the root and {@code method} in the inline
   * sub-analysis {@code fit}: eight universes of three shell tasks each.
   */
  static Path forks(Path dir, boolean baseline) {
    TestProjects.write(
        dir,
        "astra.yaml",
        """
        id: forks
        outputs:
          - id: summary
            type: data
            decisions: [estimator, scale]
            recipe:
              command: echo {decisions.estimator} {decisions.scale} > {output}/summary.txt
          - id: report
            type: data
            inputs: [summary, fit.coef]
            recipe:
              command: cat {inputs.summary}/summary.txt {inputs.fit.coef}/coef.txt > {output}/r.txt
        decisions:
          estimator:
            label: Estimator
            default: mean
            options:
              mean:
                label: Mean
              median:
                label: Median
          scale:
            label: Scale
            default: linear
            options:
              linear:
                label: Linear
              log:
                label: Log
        analyses:
          fit:
            id: fit
            outputs:
              - id: coef
                type: data
                decisions: [method]
                recipe:
                  command: echo {decisions.method} > {output}/coef.txt
            decisions:
              method:
                label: Method
                default: ols
                options:
                  ols:
                    label: OLS
                  huber:
                    label: Huber
        """);
    if (baseline) {
      TestProjects.write(dir, "universes/baseline.yaml", "id: baseline\n");
    }
    return dir;
  }

  private static List<String> statusUniverses(Path project, String... more) throws IOException {
    List<String> args = new ArrayList<>(List.of("status", "--json", "-C", project.toString()));
    args.addAll(List.of(more));
    Lc.Result r = Lc.run(args.toArray(String[]::new));
    assertThat(r.exitCode()).as(r.err()).isZero();
    List<String> ids = new ArrayList<>();
    for (JsonNode u : JSON.readTree(r.out()).get("universes")) {
      ids.add(u.get("universe_id").asText() + " " + u.get("origin").asText());
    }
    return ids;
  }

  private static List<String> resultDirectories(Path project) throws IOException {
    try (Stream<Path> s = Files.list(project.resolve("results"))) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void runMultiverse_thenStatusVerifyExplainExport_seeEveryUniverse() throws Exception {
    Path project = forks(dir.resolve("p"), true);

    Lc.Result run = Lc.run("run", "--multiverse", "-C", project.toString());
    Lc.Result runFiles = Lc.run("run", "-C", project.toString());

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(runFiles.exitCode()).as(runFiles.err()).isZero();
    assertThat(statusUniverses(project))
        .hasSize(9)
        .startsWith("baseline file")
        .contains("mv-3d2b940ae9 enumerated", "mv-4a882a0752 enumerated");

    Lc.Result status = Lc.run("status", "-C", project.toString());
    assertThat(status.outLines())
        .contains("27 outputs: 27 ok")
        .anyMatch(l -> l.matches("UNIVERSE +ORIGIN +NAME"))
        .anyMatch(l -> l.matches("baseline +universes/ +baseline"))
        .anyMatch(l -> l.matches("mv-3d2b940ae9 +enumerated +median-log-ols"));

    Lc.Result verify = Lc.run("verify", "-C", project.toString());
    assertThat(verify.exitCode()).as(verify.out()).isZero();
    assertThat(verify.outLines()).contains("27 outputs verified, no integrity failure.");

    Lc.Result explain =
        Lc.run("explain", "report", "-u", "mv-3d2b940ae9", "-C", project.toString());
    assertThat(explain.exitCode()).as(explain.err()).isZero();
    assertThat(explain.out()).contains("verdict: fresh");

    Path archive = dir.resolve("a.tar.zst");
    Lc.Result export =
        Lc.run("export", "archive", "-o", archive.toString(), "-C", project.toString());
    assertThat(export.exitCode()).as(export.err()).isZero();
    Path unpacked = Files.createDirectories(dir.resolve("unpacked"));
    Process tar =
        new ProcessBuilder("tar", "--zstd", "-xf", archive.toString(), "-C", unpacked.toString())
            .inheritIO()
            .start();
    assertThat(tar.waitFor()).isZero();
    assertThat(resultDirectories(unpacked)).hasSize(9).contains("mv-3d2b940ae9");
    assertThat(Lc.run("verify", "-C", unpacked.toString()).outLines())
        .contains("27 outputs verified, no integrity failure.");

    Lc.Result crate =
        Lc.run("export", "wrroc", "-o", dir.resolve("crate").toString(), "-C", project.toString());
    assertThat(crate.exitCode()).as(crate.err()).isZero();
    assertThat(crate.out()).contains(": 27 task runs,");
  }

  @Test
  void universeSelector_byChoicesOrName_picksAnEnumeratedUniverse() throws Exception {
    Path project = forks(dir.resolve("p"), true);

    Lc.Result run =
        Lc.run("run", "-u", "estimator=median,scale=log,fit.method=ols", "-C", project.toString());

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(resultDirectories(project)).containsExactly("mv-3d2b940ae9");
    assertThat(statusUniverses(project, "-u", "median-log-ols"))
        .containsExactly("mv-3d2b940ae9 enumerated");
    assertThat(statusUniverses(project, "-u", "method=ols,scale=log,estimator=median"))
        .containsExactly("mv-3d2b940ae9 enumerated");
    assertThat(Lc.run("explain", "summary", "-u", "median-log-ols", "-C", project.toString()).out())
        .contains("verdict: fresh");
    // a universe of the multiverse that has not run yet: selectable, and missing
    Lc.Result notRun = Lc.run("status", "-u", "mv-4a882a0752", "-C", project.toString());
    assertThat(notRun.exitCode()).as(notRun.err()).isZero();
    assertThat(notRun.outLines()).contains("3 outputs: 3 missing");
  }

  @Test
  void universeSelector_unknownOrAmbiguous_exits3WithOneLine() {
    Path project = forks(dir.resolve("p"), true);

    Lc.Result typo = Lc.run("status", "-u", "median-log-olz", "-C", project.toString());
    Lc.Result ambiguous = Lc.run("status", "-u", "estimator=median", "-C", project.toString());
    Lc.Result option = Lc.run("status", "-u", "scale=cubic", "-C", project.toString());

    assertThat(typo.exitCode()).isEqualTo(3);
    assertThat(typo.err().strip())
        .startsWith("lc: no universe 'median-log-olz' (did you mean 'median-log-ols'?)")
        .doesNotContain("\n");
    assertThat(ambiguous.exitCode()).isEqualTo(3);
    assertThat(ambiguous.err())
        .contains("'estimator=median' matches 4 universes")
        .contains("median-log-ols (mv-3d2b940ae9)");
    assertThat(option.exitCode()).isEqualTo(3);
    assertThat(option.err())
        .contains("decision 'scale' has no option 'cubic' (options: linear, log)");
  }

  @Test
  void sample_sameSizeAndSeed_sameUniverses_inAnotherCopy() throws Exception {
    Path a = forks(dir.resolve("a"), false);
    Path b = forks(dir.resolve("b"), false);

    Lc.Result runA =
        Lc.run("run", "--multiverse", "--sample", "3", "--seed", "7", "-C", a.toString());
    Lc.Result runB =
        Lc.run("run", "--multiverse", "--sample", "3", "--seed", "7", "-C", b.toString());

    assertThat(runA.exitCode()).as(runA.err()).isZero();
    assertThat(runB.exitCode()).as(runB.err()).isZero();
    assertThat(resultDirectories(a))
        .containsExactly("mv-3a45867718", "mv-3d2b940ae9", "mv-d54a540574")
        .isEqualTo(resultDirectories(b));
    assertThat(statusUniverses(a)).hasSize(4).startsWith("default default");
  }

  @Test
  void sample_largerThanTheSpace_orWithoutMultiverse_isAUsageError() {
    Path project = forks(dir.resolve("p"), false);

    Lc.Result large = Lc.run("run", "--multiverse", "--sample", "9", "-C", project.toString());
    Lc.Result alone = Lc.run("plan", "--sample", "2", "-C", project.toString());

    assertThat(large.exitCode()).isEqualTo(2);
    assertThat(large.err()).contains("--sample 9 is larger than the multiverse, which has 8");
    assertThat(alone.exitCode()).isEqualTo(2);
    assertThat(alone.err()).contains("use it with --multiverse");
    assertThat(project.resolve("results")).doesNotExist();
  }

  @Test
  void noUniversesFolder_oneDefaultUniverse_runAndStatusSeeIt() throws Exception {
    Path project = forks(dir.resolve("p"), false);

    Lc.Result run = Lc.run("run", "-C", project.toString());
    Lc.Result status = Lc.run("status", "-C", project.toString());

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.outLines()).anyMatch(l -> l.startsWith("3 tasks: 3 succeeded"));
    assertThat(resultDirectories(project)).containsExactly("default");
    assertThat(status.outLines())
        .contains("3 outputs: 3 ok")
        .anyMatch(l -> l.matches("default +default +default"));
    assertThat(statusUniverses(project)).containsExactly("default default");
    Lc.Result explain = Lc.run("explain", "report", "-C", project.toString());
    assertThat(explain.exitCode()).as(explain.err()).isZero();
    assertThat(explain.out()).contains("default/report").contains("verdict: fresh");
  }
}
