package io.lightcone.core.internal.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lightcone.LightconeException;
import io.lightcone.Problem;
import io.lightcone.core.internal.project.LoadedProject;
import io.lightcone.core.internal.project.ProjectLoader;
import io.lightcone.model.ResolvedUniverse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UniverseSelectionTest {
  @TempDir Path dir;

  private ResolvedUniverse one(ProjectState state, String selector) {
    List<ResolvedUniverse> out =
        UniverseSelection.select(state, state.loaded().universes(), List.of(selector), false);
    assertThat(out).hasSize(1);
    return out.get(0);
  }

  @Test
  void noUniverseFiles_oneDefaultUniverse_everyDecisionAtItsDefault() {
    ProjectState state = SelectorProjects.forks(dir);

    List<ResolvedUniverse> universes = state.loaded().universes();

    assertThat(universes).hasSize(1);
    ResolvedUniverse u = universes.get(0);
    assertThat(u.id().value()).isEqualTo("default");
    assertThat(u.name()).isEqualTo("default");
    assertThat(u.origin()).isEqualTo(ResolvedUniverse.Origin.DEFAULT);
    assertThat(u.choices().toString()).isEqualTo("{estimator=mean, scale=linear, fit.method=ols}");
    assertThat(state.loaded().report().warnings()).isEmpty();
  }

  @Test
  void universesIsAFile_orHoldsADirectoryOrFifo_warnsNamingIt() throws Exception {
    SelectorProjects.forks(dir);
    Files.writeString(dir.resolve("universes"), "not a directory");

    LoadedProject file = ProjectLoader.load(dir);

    assertThat(file.universes()).extracting(u -> u.id().value()).containsExactly("default");
    assertThat(file.report().warnings())
        .extracting(Problem::message)
        .anyMatch(m -> m.startsWith("universes is not a directory"));

    Files.delete(dir.resolve("universes"));
    Files.createDirectories(dir.resolve("universes/old.yaml"));
    new ProcessBuilder("mkfifo", dir.resolve("universes/pipe.yaml").toString()).start().waitFor();

    LoadedProject entries = ProjectLoader.load(dir);

    assertThat(entries.report().warnings())
        .extracting(Problem::message)
        .anyMatch(m -> m.startsWith("universes/old.yaml is a directory"))
        .anyMatch(m -> m.startsWith("universes/pipe.yaml is not a regular file"));
  }

  @Test
  void byChoices_fullOrPartial_bareOrQualified() {
    ProjectState state = SelectorProjects.forks(dir);

    ResolvedUniverse full = one(state, "estimator=median, scale=log, fit.method=huber");
    ResolvedUniverse bare = one(state, "method=huber,estimator=median,scale=log");

    assertThat(full.name()).isEqualTo("median-log-huber");
    assertThat(full.origin()).isEqualTo(ResolvedUniverse.Origin.ENUMERATED);
    assertThat(bare).isEqualTo(full);
    // the known universes come first: the default universe is the one with these choices
    assertThat(one(state, "estimator=mean").id().value()).isEqualTo("default");
  }

  @Test
  void byChoices_ambiguous_listsTheCandidates() {
    ProjectState state = SelectorProjects.forks(dir);

    assertThatThrownBy(() -> one(state, "estimator=median"))
        .isInstanceOf(LightconeException.class)
        .hasMessage(
            "universe selector 'estimator=median' matches 4 universes; name more decisions to"
                + " pick one: median-linear-ols (mv-3a45867718), median-linear-huber"
                + " (mv-963fa059f3), median-log-ols (mv-3d2b940ae9), median-log-huber"
                + " (mv-4a882a0752)");
  }

  @Test
  void byChoices_badInput_namesWhatExists() {
    ProjectState state = SelectorProjects.forks(dir);

    assertThatThrownBy(() -> one(state, "estimatr=median"))
        .hasMessage(
            "universe selector 'estimatr=median': no decision 'estimatr' (did you mean"
                + " 'estimator'?) (decisions: estimator, scale, fit.method)");
    assertThatThrownBy(() -> one(state, "estimator=medain"))
        .hasMessage(
            "universe selector 'estimator=medain': decision 'estimator' has no option 'medain'"
                + " (did you mean 'median'?) (options: mean, median)");
    assertThatThrownBy(() -> one(state, "scale=cubic"))
        .hasMessageContaining("has no selectable (it is excluded) option 'cubic'");
    assertThatThrownBy(() -> one(state, "estimator=mean,scale"))
        .hasMessageContaining("'scale' is not decision=option");
    assertThatThrownBy(() -> one(state, "estimator=mean,estimator=median"))
        .hasMessageContaining("chooses both 'mean' and 'median' for decision 'estimator'");
  }

  @Test
  void byChoices_bareIdDeclaredTwice_mustBeQualified() {
    ProjectState state = SelectorProjects.forks(dir, true);

    assertThatThrownBy(() -> one(state, "method=ols"))
        .hasMessageContaining(
            "decision 'method' is declared in several analyses (fit.method, check.method);"
                + " qualify it, e.g. 'fit.method=ols'");
    assertThat(one(state, "check.method=full,scale=log,estimator=median,fit.method=ols").name())
        .isEqualTo("median-log-ols-full");
  }

  @Test
  void byNameOrId_findsEnumeratedUniverses() {
    ProjectState state = SelectorProjects.forks(dir);

    assertThat(one(state, "median-log-ols").id().value()).isEqualTo("mv-3d2b940ae9");
    assertThat(one(state, "mv-3d2b940ae9").name()).isEqualTo("median-log-ols");
    assertThat(one(state, "default").origin()).isEqualTo(ResolvedUniverse.Origin.DEFAULT);
  }

  @Test
  void unknown_oneLineWithTheClosestMatch() {
    ProjectState state = SelectorProjects.forks(dir);

    assertThatThrownBy(() -> one(state, "defualt"))
        .isInstanceOf(LightconeException.class)
        .hasMessageStartingWith("no universe 'defualt' (did you mean 'default'?); universes:")
        .hasMessageNotContaining("\n");
  }

  @Test
  void known_enumeratedUniversesWithResults_andStrayDirectories() throws Exception {
    ProjectState state = SelectorProjects.forks(dir);
    Files.createDirectories(dir.resolve("results/mv-3d2b940ae9/summary"));
    Files.createDirectories(dir.resolve("results/mv-4a882a0752/fit.coef"));
    Files.createDirectories(dir.resolve("results/mv-0000000000/summary"));

    UniverseSelection.Known known = UniverseSelection.known(state);

    assertThat(known.universes())
        .extracting(u -> u.id().value())
        .containsExactly("default", "mv-3d2b940ae9", "mv-4a882a0752");
    assertThat(known.stray()).containsExactly("mv-0000000000");
  }
}
