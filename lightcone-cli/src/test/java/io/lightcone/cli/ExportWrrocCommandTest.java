package io.lightcone.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code lc export wrroc} through picocli; the graph itself is checked in core's tests. */
class ExportWrrocCommandTest {
  @TempDir static Path shared;
  private static Path ran;

  @TempDir Path dir;

  @BeforeAll
  static void runTheSampleOnce() {
    ran = RanSample.at(shared.resolve("pl"));
  }

  @Test
  void exportWrroc_directory_writesACrateThatVerifies() throws Exception {
    Path crate = dir.resolve("crate");

    Lc.Result export = Lc.run("export", "wrroc", "-C", "" + ran, "-o", "" + crate);

    assertThat(export.exitCode()).as(export.err()).isZero();
    assertThat(export.out()).startsWith("wrote " + crate + ": 11 task runs, ");
    JsonNode metadata =
        new ObjectMapper().readTree(crate.resolve("ro-crate-metadata.json").toFile());
    assertThat(metadata.get("@context").get(0).asText())
        .isEqualTo("https://w3id.org/ro/crate/1.1/context");
    assertThat(crate.resolve("results/baseline")).isDirectory();
    assertThat(crate.resolve("src")).doesNotExist();
    Lc.Result verify = Lc.run("verify", "-C", crate.toString());
    assertThat(verify.exitCode()).as(verify.out()).isZero();
    assertThat(verify.outLines()).endsWith("11 outputs verified, no integrity failure.");
  }

  @Test
  void exportWrroc_outputDatasets_carryTheirAstraFormatAsEncodingFormat() throws Exception {
    Path crate = dir.resolve("crate");

    Lc.Result export = Lc.run("export", "wrroc", "-C", "" + ran, "-o", "" + crate);

    assertThat(export.exitCode()).as(export.err()).isZero();
    JsonNode graph =
        new ObjectMapper().readTree(crate.resolve("ro-crate-metadata.json").toFile()).get("@graph");
    java.util.Map<String, String> formats = new java.util.TreeMap<>();
    for (JsonNode e : graph) {
      String id = e.path("@id").asText();
      if (id.startsWith("results/baseline/") && id.endsWith("/") && e.has("encodingFormat")) {
        formats.put(id, e.get("encodingFormat").asText());
      }
    }
    // The sample declares format: csv, json and svg on its outputs (ASTRA 0.0.14).
    assertThat(formats)
        .containsEntry("results/baseline/photometry/", "text/csv")
        .containsEntry("results/baseline/pl_fit/", "application/json")
        .containsEntry("results/baseline/pl_diagram/", "image/svg+xml");
  }

  @Test
  void exportWrroc_zip_holdsTheCrateAtItsRoot() throws Exception {
    Path zip = dir.resolve("crate.zip");

    Lc.Result export =
        Lc.run("export", "wrroc", "--zip", "-u", "baseline", "-C", "" + ran, "-o", "" + zip);

    assertThat(export.exitCode()).as(export.err()).isZero();
    List<String> names = new ArrayList<>();
    try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
      for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
        names.add(e.getName());
      }
    }
    assertThat(names)
        .contains("ro-crate-metadata.json", "astra.yaml", "universes/baseline.yaml")
        .noneMatch(n -> n.contains("robust_v_band"))
        .isSorted();
  }

  @Test
  void exportWrroc_nonEmptyDirectory_exits3_andLeavesItAlone() throws Exception {
    Path full = Files.createDirectories(dir.resolve("full"));
    Files.writeString(full.resolve("mine.txt"), "keep");

    Lc.Result export = Lc.run("export", "wrroc", "-C", "" + ran, "-o", "" + full);

    assertThat(export.exitCode()).isEqualTo(3);
    assertThat(export.err()).contains(full + " is not empty");
    assertThat(full.toFile().list()).containsExactly("mine.txt");
  }

  @Test
  void exportWrroc_staleOutputs_exit1ListingThem_partialExportsTheRest() throws Exception {
    Path project = RanSample.copy(ran, dir.resolve("p"));
    Files.writeString(
        project.resolve("data/parallax_sample.csv"),
        Files.readString(project.resolve("data/parallax_sample.csv")) + "\n");
    Path crate = dir.resolve("crate");

    Lc.Result refused = Lc.run("export", "wrroc", "-C", "" + project, "-o", "" + crate);
    boolean writtenWhenRefused = Files.exists(crate);
    Lc.Result partial =
        Lc.run("export", "wrroc", "--partial", "-C", "" + project, "-o", "" + crate);

    assertThat(refused.exitCode()).isEqualTo(1);
    assertThat(refused.err()).contains("not up to date", "baseline/", ": stale", "--partial");
    assertThat(writtenWhenRefused).isFalse();
    assertThat(partial.exitCode()).as(partial.err()).isZero();
    assertThat(partial.err()).contains("left out baseline/");
    assertThat(partial.out()).contains("left out)");
    assertThat(crate.resolve("ro-crate-metadata.json")).exists();
  }

  @Test
  void exportWrroc_withoutOutput_isAUsageError() {
    assertThat(Lc.run("export", "wrroc", "-C", "" + ran).exitCode()).isEqualTo(2);
  }
}
