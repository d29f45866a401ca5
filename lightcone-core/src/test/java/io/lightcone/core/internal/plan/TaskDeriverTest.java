package io.lightcone.core.internal.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lightcone.LightconeException;
import io.lightcone.Task;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TaskDeriverTest {
  @TempDir Path dir;

  private ProjectState write(String... files) {
    try {
      for (int i = 0; i < files.length; i += 2) {
        Path f = dir.resolve(files[i]);
        Files.createDirectories(f.getParent());
        Files.writeString(f, files[i + 1]);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return ProjectState.load(dir);
  }

  private List<Task> tasks(ProjectState s, String universe) {
    return s.tasks(s.universe(universe).orElseThrow());
  }

  @Test
  void outputsOfPathSubAnalyses_liveUnderTheirDirectory_andInputsResolveThere() {
    ProjectState s =
        write(
            "astra.yaml",
            """
            id: top
            inputs:
              - id: raw
                type: data
                source: data/raw.csv
            outputs:
              - id: fit
                type: metric
                inputs: [cal.zp, raw]
                recipe: {command: "fit {inputs} {inputs.cal.zp} > {output}/f.json"}
            analyses:
              cal:
                path: calibration
            """,
            "calibration/astra.yaml",
            """
            id: cal
            inputs:
              - id: local
                type: data
                source: local.csv
              - id: up
                from: ../raw
            outputs:
              - id: zp
                type: metric
                inputs: [local, up]
                recipe: {command: "zp {inputs.local} {inputs.up} {output}"}
            """,
            "universes/u.yaml",
            "{}\n");
    List<Task> t = tasks(s, "u");
    assertThat(t).extracting(x -> x.id().toString()).containsExactly("u/cal.zp", "u/fit");
    assertThat(t.get(0).outputDir()).isEqualTo("calibration/results/u/zp");
    assertThat(t.get(0).command())
        .isEqualTo("zp calibration/local.csv data/raw.csv calibration/results/u/zp");
    assertThat(t.get(1).command())
        .isEqualTo(
            "fit calibration/results/u/zp data/raw.csv calibration/results/u/zp >"
                + " results/u/fit/f.json");
    assertThat(t.get(1).dependsOn()).extracting(Object::toString).containsExactly("u/cal.zp");
  }

  @Test
  void aliasDecisionWithWhen_thatDoesNotHold_isAClearPlanError() {
    ProjectState s =
        write(
            "astra.yaml",
            """
            id: top
            decisions:
              mode:
                label: Mode
                options: {fast: {label: F}, slow: {label: S}}
              seed:
                label: Seed
                options: {s1: {label: "1"}}
            analyses:
              sub:
                decisions:
                  seed:
                    from: ../seed
                    when: [../mode.slow]
                outputs:
                  - id: o
                    type: data
                    decisions: [seed]
                    recipe: {command: "echo {decisions.seed} > {output}/v"}
            """,
            "universes/fast.yaml",
            "decisions: {mode: fast, seed: s1}\n",
            "universes/slow.yaml",
            "decisions: {mode: slow, seed: s1}\n");
    assertThat(tasks(s, "slow"))
        .singleElement()
        .satisfies(t -> assertThat(t.command()).startsWith("echo s1"));
    assertThatThrownBy(() -> tasks(s, "fast"))
        .isInstanceOf(LightconeException.class)
        .hasMessageContaining("uses decision 'seed', which is not active in universe 'fast'");
  }

  @Test
  void activeOutputReadingAnInactiveOne_isAClearPlanError() {
    ProjectState s =
        write(
            "astra.yaml",
            """
            id: top
            decisions:
              m:
                label: M
                options: {a: {label: A}, b: {label: B}}
            outputs:
              - id: only_a
                type: data
                when: [m.a]
                recipe: {command: "true"}
              - id: reader
                type: data
                inputs: [only_a]
                recipe: {command: "true"}
            """,
            "universes/b.yaml",
            "decisions: {m: b}\n");
    assertThatThrownBy(() -> tasks(s, "b"))
        .hasMessageContaining(
            "'reader' reads 'only_a', but 'only_a' does not exist in universe 'b'");
  }

  @Test
  void container_recipeBeatsSubAnalysisBeatsRoot_andContainerfilesGetContentTags()
      throws IOException {
    ProjectState s =
        write(
            "astra.yaml",
            """
            id: top
            name: Top Level
            container: python:3.11-slim
            outputs:
              - id: a
                type: data
                recipe: {command: "touch {output}/a"}
              - id: b
                type: data
                recipe: {command: "touch {output}/b", container: Containerfile}
            analyses:
              sub:
                path: sub
            """,
            "Containerfile",
            "FROM scratch\nCOPY src/ /src/\n",
            "src/tool.sh",
            "echo v1\n",
            "sub/astra.yaml",
            """
            id: sub
            container: Containerfile
            outputs:
              - id: c
                type: data
                recipe: {command: "touch {output}/c"}
            """,
            "sub/Containerfile",
            "FROM scratch\n",
            "universes/u.yaml",
            "{}\n");
    List<Task> tasks = tasks(s, "u");
    Task a = tasks.stream().filter(t -> t.outputDir().endsWith("/a")).findFirst().orElseThrow();
    Task b = tasks.stream().filter(t -> t.outputDir().endsWith("/b")).findFirst().orElseThrow();
    Task c = tasks.stream().filter(t -> t.outputDir().endsWith("/c")).findFirst().orElseThrow();
    assertThat(a.container()).contains("python:3.11-slim");
    assertThat(a.imageIdentity()).contains("python:3.11-slim");
    assertThat(b.container()).contains("Containerfile");
    assertThat(b.imageIdentity().orElseThrow()).matches("lc-top-level-[0-9a-f]{12}");
    assertThat(c.container()).contains("Containerfile");
    assertThat(c.imageIdentity().orElseThrow())
        .matches("lc-top-level-[0-9a-f]{12}")
        .isNotEqualTo(b.imageIdentity().orElseThrow());

    // A copied source edited: b's identity and code_version change, a's and c's do not.
    Files.writeString(dir.resolve("src/tool.sh"), "echo v2\n");
    List<Task> again = tasks(ProjectState.load(dir), "u");
    assertThat(again.get(tasks.indexOf(b)).codeVersion()).isNotEqualTo(b.codeVersion());
    assertThat(again.get(tasks.indexOf(a)).codeVersion()).isEqualTo(a.codeVersion());
    assertThat(again.get(tasks.indexOf(c)).codeVersion()).isEqualTo(c.codeVersion());
  }
}
