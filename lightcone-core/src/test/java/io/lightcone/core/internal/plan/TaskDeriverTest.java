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
}
