package io.lightcone.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lightcone.LightconeException;
import io.lightcone.core.internal.Environment;
import io.lightcone.model.Resources;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LoginNodeTest {
  @TempDir Path dir;

  private static final List<Optional<Resources>> BIG =
      List.of(Optional.empty(), Optional.of(Resources.builder().cpus(8.0).build()));
  private static final List<Optional<Resources>> SMALL =
      List.of(Optional.empty(), Optional.of(Resources.builder().cpus(1.0).build()));

  private Environment env(Map<String, String> vars) {
    return new Environment(vars, Clock.systemUTC(), "/java", "");
  }

  @Test
  void configuredPattern_bigTask_warnsOnce_naming_slurm() throws Exception {
    Path config = dir.resolve("config.yaml");
    Files.writeString(config, "login_node:\n  hostname: 'login[0-9]+'\n  cpus: 4\n");
    Environment e = env(Map.of("HOSTNAME", "login3", "LIGHTCONE_CONFIG", config.toString()));
    AtomicInteger asked = new AtomicInteger();
    Optional<String> w = LoginNode.warning(BIG, e, () -> asked.incrementAndGet() > 0);
    assertThat(w).isPresent();
    assertThat(w.get())
        .contains("login3 looks like a login node")
        .contains("1 task(s) ask for more than 4 cpus")
        .contains("--substrate slurm")
        .doesNotContain("\n");
    assertThat(asked).as("sinfo is not asked when a pattern is configured").hasValue(0);
    // The pattern decides: a compute node's name does not match, and small tasks never warn.
    assertThat(LoginNode.warning(BIG, e.with("HOSTNAME", "node7"), () -> true)).isEmpty();
    assertThat(LoginNode.warning(SMALL, e, () -> true)).isEmpty();
  }

  @Test
  void withoutPattern_itIsALoginNode_whenOutsideAJob_andSinfoAnswers() {
    Environment e = env(Map.of("HOSTNAME", "head", "HOME", dir.toString()));
    assertThat(LoginNode.warning(BIG, e, () -> true)).isPresent();
    assertThat(LoginNode.warning(BIG, e, () -> false)).as("no SLURM here").isEmpty();
    assertThat(LoginNode.warning(BIG, e.with("SLURM_JOB_ID", "12"), () -> true))
        .as("inside a job: a compute node")
        .isEmpty();
    // Defaults: 2 cpus, 4Gi, no gpus.
    assertThat(
            LoginNode.warning(
                List.of(Optional.of(Resources.builder().gpus(1).build())), e, () -> true))
        .isPresent();
    assertThat(
            LoginNode.warning(
                List.of(Optional.of(Resources.builder().memory("8Gi").build())), e, () -> true))
        .isPresent();
  }

  @Test
  void aBadValue_isOneLine_namingFileAndKey() throws Exception {
    Path config = dir.resolve("config.yaml");
    Files.writeString(config, "login_node:\n  cpus: many\n");
    Environment e = env(Map.of("LIGHTCONE_CONFIG", config.toString()));
    assertThatThrownBy(() -> LoginNode.warning(BIG, e, () -> true))
        .isInstanceOf(LightconeException.class)
        .hasMessageContaining("config.yaml:2")
        .hasMessageContaining("'login_node.cpus' is 'many'");
  }
}
