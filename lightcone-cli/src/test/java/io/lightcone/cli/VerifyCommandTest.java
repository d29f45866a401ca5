package io.lightcone.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VerifyCommandTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path shared;
  private static Path ran;

  @TempDir Path dir;

  @BeforeAll
  static void runTheSampleOnce() {
    ran = RanSample.at(shared.resolve("pl"));
  }

  @Test
  void verify_freshRun_passes_exits0() {
    Lc.Result result = Lc.run("verify", "-C", ran.toString());

    assertThat(result.exitCode()).as(result.out() + result.err()).isZero();
    assertThat(result.outLines().get(0)).matches("UNIVERSE +OUTPUT +RESULT +DETAIL");
    assertThat(result.outLines()).endsWith("11 outputs verified, no integrity failure.");
  }

  @Test
  void verify_flippedByte_reportsTamperedData_exits1() throws Exception {
    Path project = RanSample.copy(ran, dir.resolve("pl"));
    Path fit = project.resolve("results/baseline/pl_fit/fit.json");
    byte[] bytes = Files.readAllBytes(fit);
    bytes[10] ^= 1;
    Files.write(fit, bytes);

    Lc.Result result = Lc.run("verify", "-C", project.toString());

    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.outLines())
        .anyMatch(l -> l.matches("baseline +pl_fit +tampered_data .*"))
        .endsWith("1 integrity failure(s).");
  }

  @Test
  void verify_json_hasTheDocumentedShape() throws Exception {
    Path project = RanSample.copy(ran, dir.resolve("pl"));
    Files.delete(project.resolve("results/robust_v_band/distance/.lightcone-manifest.json"));

    Lc.Result result = Lc.run("verify", "--json", "-C", project.toString(), "-u", "robust_v_band");

    assertThat(result.exitCode()).isEqualTo(1);
    JsonNode root = JSON.readTree(result.out());
    assertThat(root.fieldNames()).toIterable().containsExactly("results", "failures");
    assertThat(root.get("failures").asInt()).isEqualTo(1);
    assertThat(root.get("results")).hasSize(6);
    JsonNode ok = root.get("results").get(0);
    assertThat(ok.fieldNames())
        .toIterable()
        .containsExactly(
            "universe_id", "output_id", "analysis_id", "output_dir", "passed", "failure", "detail");
    assertThat(ok.get("passed").asBoolean()).isTrue();
    assertThat(ok.get("failure").isNull()).isTrue();
    JsonNode missing = null;
    for (JsonNode r : root.get("results")) {
      if (r.get("output_id").asText().equals("distance")) {
        missing = r;
      }
    }
    assertThat(missing).isNotNull();
    assertThat(missing.get("universe_id").asText()).isEqualTo("robust_v_band");
    assertThat(missing.get("output_dir").asText()).isEqualTo("results/robust_v_band/distance");
    assertThat(missing.get("passed").asBoolean()).isFalse();
    assertThat(missing.get("failure").asText()).isEqualTo("missing_manifest");
  }

  @Test
  void verify_nothingRunYet_exits0() {
    Path project = TestProjects.copyOfSample("period-luminosity", dir.resolve("pl"));

    Lc.Result result = Lc.run("verify", "-C", project.toString());

    assertThat(result.exitCode()).isZero();
    assertThat(result.outLines()).endsWith("0 outputs verified, no integrity failure.");
  }
}
