package io.lightcone.samples;

import static org.assertj.core.api.Assertions.assertThat;

import io.lightcone.ValidationReport;
import io.lightcone.core.Project;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sample the later issues run end to end must stay a valid, reproducible project. */
class PeriodLuminositySampleTest {
  /** samples/period-luminosity; surefire runs in the samples module directory. */
  private static final Path SAMPLE = Path.of("period-luminosity").toAbsolutePath();

  @Test
  void validate_periodLuminosity_reportsNoErrors() {
    ValidationReport report = Project.validate(SAMPLE);

    assertThat(report.errors()).as(report.toString()).isEmpty();
    assertThat(report.isValid()).isTrue();
  }

  @Test
  void load_periodLuminosity_hasBothUniversesAndTheCalibration() {
    Project project = Project.load(SAMPLE);

    assertThat(project.universes())
        .extracting(u -> u.id().value())
        .containsExactly("baseline", "robust_v_band");
    assertThat(project.analysis().analyses().keySet())
        .extracting(id -> id.value())
        .containsExactly("calibration");
    assertThat(project.analysis().decisions().keySet())
        .extracting(id -> id.value())
        .containsExactly("fit_method", "magnitude");
  }

  @Test
  void makeData_regeneratesTheShippedCatalogues_byteForByte(@TempDir Path dir)
      throws IOException, InterruptedException {
    Path data = Files.createDirectories(dir.resolve("data"));
    Files.copy(SAMPLE.resolve("data/make_data.py"), data.resolve("make_data.py"));

    Process python =
        new ProcessBuilder("python3", "data/make_data.py")
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("python.log").toFile())
            .start();

    assertThat(python.waitFor(60, TimeUnit.SECONDS)).as("make_data.py finished").isTrue();
    assertThat(python.exitValue()).as(Files.readString(dir.resolve("python.log"))).isZero();
    for (String csv : new String[] {"cepheids.csv", "parallax_sample.csv"}) {
      assertThat(Files.readString(data.resolve(csv)))
          .as(csv)
          .isEqualTo(Files.readString(SAMPLE.resolve("data").resolve(csv)));
    }
  }
}
