package io.lightcone.core.internal.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lightcone.LightconeException;
import io.lightcone.model.OptionId;
import io.lightcone.model.QualifiedDecisionId;
import io.lightcone.model.ResolvedUniverse;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MultiverseTest {
  @TempDir Path dir;

  private static Map<QualifiedDecisionId, OptionId> choices(String... pairs) {
    Map<QualifiedDecisionId, OptionId> m = new LinkedHashMap<>();
    for (String p : pairs) {
      String[] kv = p.split("=");
      m.put(QualifiedDecisionId.parse(kv[0]), OptionId.of(kv[1]));
    }
    return m;
  }

  /**
   * Fixed vectors: results on disk are named by these ids, on every machine and in every version.
   * Each is {@code mv-} + 10 hex of sha256 of the sorted pairs joined by a newline, as Python's
   * {@code hashlib.sha256("\n".join(sorted(pairs)).encode()).hexdigest()[:10]} computes it.
   */
  @Test
  void idOf_fixedVectors() {
    assertThat(Multiverse.idOf(choices("estimator=mean", "scale=linear", "fit.method=ols")).value())
        .isEqualTo("mv-291d675e03");
    assertThat(
            Multiverse.idOf(
                    choices(
                        "fit_method=ols",
                        "magnitude=wesenheit",
                        "calibration.parallax_offset=lindegren2021"))
                .value())
        .isEqualTo("mv-a8fa46affa");
    assertThat(Multiverse.idOf(choices("a=x")).value()).isEqualTo("mv-789b09044c");
    assertThat(Multiverse.idOf(choices()).value()).isEqualTo("mv-e3b0c44298");
  }

  @Test
  void idOf_dependsOnTheChoicesNotTheirOrder() {
    assertThat(Multiverse.idOf(choices("scale=linear", "fit.method=ols", "estimator=mean")))
        .isEqualTo(Multiverse.idOf(choices("estimator=mean", "scale=linear", "fit.method=ols")));
  }

  @Test
  void idOf_everyPairMatters() {
    var base = Multiverse.idOf(choices("estimator=mean", "scale=linear", "fit.method=ols"));
    assertThat(Multiverse.idOf(choices("estimator=median", "scale=linear", "fit.method=ols")))
        .isNotEqualTo(base);
    assertThat(Multiverse.idOf(choices("estimator=mean", "scale=linear", "fit.method=huber")))
        .isNotEqualTo(base);
    assertThat(Multiverse.idOf(choices("estimator=mean", "scale=linear"))).isNotEqualTo(base);
    // the same option under another decision is another universe
    assertThat(Multiverse.idOf(choices("fit.estimator=mean", "scale=linear", "fit.method=ols")))
        .isNotEqualTo(base);
  }

  @Test
  void sample_sameSizeAndSeed_sameUniverses_inSpaceOrder() {
    List<ResolvedUniverse> space = Multiverse.enumerate(SelectorProjects.forks(dir).tree());

    List<ResolvedUniverse> a = Multiverse.sample(space, 3, 7);
    List<ResolvedUniverse> b = Multiverse.sample(List.copyOf(space), 3, 7);

    assertThat(space).hasSize(8);
    assertThat(a).hasSize(3).isEqualTo(b).isSubsetOf(space);
    assertThat(space.stream().filter(a::contains).toList()).isEqualTo(a);
    // fixed: the algorithm is documented, so the pick is part of the contract
    assertThat(a.stream().map(u -> u.name()).toList())
        .containsExactly("mean-linear-huber", "median-linear-ols", "median-log-ols");
    assertThat(Multiverse.sample(space, 3, 8)).isNotEqualTo(a);
    assertThat(Multiverse.sample(space, 8, 7)).isEqualTo(space);
  }

  @Test
  void sample_largerThanTheSpace_namesItsSize() {
    List<ResolvedUniverse> space = Multiverse.enumerate(SelectorProjects.forks(dir).tree());

    assertThatThrownBy(() -> Multiverse.sample(space, 9, 7))
        .isInstanceOf(LightconeException.class)
        .hasMessageContaining("--sample 9 is larger than the multiverse, which has 8 universe(s)");
    assertThatThrownBy(() -> Multiverse.sample(space, 0, 7))
        .hasMessageContaining("must be at least 1");
  }

  @Test
  void enumerate_namesAreTheOptionsInTreeOrder_originEnumerated() {
    List<ResolvedUniverse> space = Multiverse.enumerate(SelectorProjects.forks(dir).tree());

    assertThat(space.get(0).name()).isEqualTo("mean-linear-ols");
    assertThat(space.get(0).id().value()).isEqualTo("mv-291d675e03");
    assertThat(space).allMatch(u -> u.origin() == ResolvedUniverse.Origin.ENUMERATED);
  }
}
