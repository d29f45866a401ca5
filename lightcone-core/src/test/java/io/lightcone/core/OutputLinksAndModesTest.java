package io.lightcone.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.lightcone.ExecutionReport;
import io.lightcone.PlanOptions;
import io.lightcone.TaskResult;
import io.lightcone.TaskResult.Outcome;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Symbolic links in outputs and inputs, and file modes through the cache (docs/security.md): a link
 * that leaves its output fails the task; one inside is kept as a link; a private file stays private
 * in the cache and after a restore; exports ship only what really lies in the project.
 */
class OutputLinksAndModesTest {
  @TempDir Path dir;

  private Path project;
  private Path secret;

  private void project(String command) throws IOException {
    project = dir.resolve("p");
    secret = dir.resolve("outside/secret.txt");
    Files.createDirectories(secret.getParent());
    Files.writeString(secret, "the neighbour's secret\n");
    Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-------"));
    TestProjects.write(
        project,
        "astra.yaml",
        "id: links\noutputs:\n  - id: out\n    type: data\n    recipe:\n      command: \""
            + command.replace("\"", "\\\"")
            + "\"\n",
        "universes/u.yaml",
        "id: u\n");
  }

  private TaskResult run() {
    ExecutionReport r = Project.load(project).plan().execute(LocalSubstrate.create());
    return r.results().get(0);
  }

  private Path out() {
    return project.resolve("results/u/out");
  }

  @Test
  void linkToAFileOutsideTheOutput_failsTheTask_namingLinkAndTarget() throws IOException {
    project("echo ok > {output}/ok.txt");
    assertThat(run().outcome()).isEqualTo(Outcome.SUCCEEDED);
    String before = Files.readString(out().resolve(".lightcone-manifest.json"));
    Files.writeString(
        project.resolve("astra.yaml"),
        Files.readString(project.resolve("astra.yaml"))
            .replace("echo ok > {output}/ok.txt", "ln -s " + secret + " {output}/s"));

    TaskResult r = run();

    assertThat(r.outcome()).isEqualTo(Outcome.FAILED);
    assertThat(r.detail()).contains("symbolic link").contains("s -> " + secret);
    assertThat(Files.readString(out().resolve(".lightcone-manifest.json"))).isEqualTo(before);
    assertThat(out().resolve("s")).doesNotExist();
    try (Stream<Path> blobs = Files.walk(project.resolve(".lightcone/cache"))) {
      assertThat(blobs.filter(Files::isRegularFile).map(Files::isSymbolicLink))
          .doesNotContain(true);
    }
    // Nothing of the secret reached the cache.
    try (Stream<Path> files = Files.walk(project.resolve(".lightcone/cache"))) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        assertThat(Files.readString(f, java.nio.charset.StandardCharsets.ISO_8859_1))
            .doesNotContain("neighbour");
      }
    }
  }

  @Test
  void relativeLinkThatClimbsOut_andDanglingLink_fail() throws IOException {
    project("ln -s ../../../../outside/secret.txt {output}/s");
    TaskResult r = run();
    assertThat(r.outcome()).isEqualTo(Outcome.FAILED);
    assertThat(r.detail()).contains("leaves the output");
    assertThat(out()).doesNotExist();

    project("ln -s nothing {output}/s");
    assertThat(run().detail()).contains("points to nothing");
  }

  @Test
  void linkInsideTheOutput_isKept_hashedAsItsFile_andRestoredAsALink() throws IOException {
    project(
        "mkdir {output}/d && echo data > {output}/d/f && ln -s d/f {output}/l && ln -s d {output}/dl");
    assertThat(run().outcome()).isEqualTo(Outcome.SUCCEEDED);
    assertThat(Files.isSymbolicLink(out().resolve("l"))).isTrue();
    String manifest = Files.readString(out().resolve(".lightcone-manifest.json"));

    removeOutput(out());
    TaskResult restored = run();

    assertThat(restored.outcome()).isEqualTo(Outcome.RESTORED);
    assertThat(Files.isSymbolicLink(out().resolve("l"))).isTrue();
    assertThat(Files.readSymbolicLink(out().resolve("l")).toString()).isEqualTo("d/f");
    assertThat(Files.readSymbolicLink(out().resolve("dl")).toString()).isEqualTo("d");
    assertThat(Files.readString(out().resolve("l"))).isEqualTo("data\n");
    assertThat(Files.readString(out().resolve(".lightcone-manifest.json")))
        .contains(dataVersion(manifest));
    assertThat(Project.load(project).verify().passed()).isTrue();
  }

  @Test
  void aPrivateFile_staysPrivate_inTheCacheAndAfterARestore() throws IOException {
    project(
        "umask 077 && echo private > {output}/p && head -c 2000000 /dev/urandom > {output}/big"
            + " && echo shared > {output}/s && chmod 0640 {output}/s");
    assertThat(run().outcome()).isEqualTo(Outcome.SUCCEEDED);
    try (Stream<Path> s = Files.walk(project.resolve(".lightcone/cache/blobs"))) {
      for (Path blob : s.filter(Files::isRegularFile).toList()) {
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(blob)))
            .as(blob.toString())
            .matches("r[w-]-[r-]--[-]{3}"); // never readable by others: no source file was
      }
    }

    removeOutput(out());
    assertThat(run().outcome()).isEqualTo(Outcome.RESTORED);

    assertThat(mode(out().resolve("p"))).isEqualTo("rw-------");
    assertThat(mode(out().resolve("big"))).isEqualTo("rw-------");
    assertThat(mode(out().resolve("s"))).isEqualTo("rw-r-----");
    assertThat(Project.load(project).verify().passed()).isTrue();
  }

  @Test
  void exports_shipAnInputOnlyWhenItsRealPathIsInTheProject() throws IOException {
    project = dir.resolve("p");
    secret = dir.resolve("outside/secret.txt");
    TestProjects.write(
        project,
        "astra.yaml",
        """
        id: ins
        inputs:
          - id: linked
            type: data
            source: data/linked.txt
          - id: folder
            type: data
            source: data/folder
        outputs:
          - id: out
            type: data
            inputs: [linked, folder]
            recipe:
              command: "cat {inputs.linked} {inputs.folder}/real.txt > {output}/all"
        """,
        "universes/u.yaml",
        "id: u\n",
        "data/folder/real.txt",
        "mine\n");
    Files.createDirectories(secret.getParent());
    Files.writeString(secret, "the neighbour's secret\n");
    Files.createSymbolicLink(project.resolve("data/linked.txt"), secret);
    Files.createSymbolicLink(project.resolve("data/folder/also.txt"), secret);
    Project.load(project)
        .plan(PlanOptions.defaults(), RunOptions.builder().cache(false).build())
        .execute(LocalSubstrate.create())
        .throwIfFailed();

    List<String> archived =
        Project.load(project).exportArchive(dir.resolve("a.tar.zst"), List.of());
    assertThat(archived).contains("data/folder/real.txt", "results/u/out/all");
    assertThat(archived).doesNotContain("data/linked.txt", "data/folder/also.txt");

    Path crate = dir.resolve("crate");
    Project.load(project).exportCrate(crate, CrateOptions.defaults());
    assertThat(crate.resolve("data/folder/real.txt")).exists();
    assertThat(crate.resolve("data/linked.txt")).doesNotExist();
    assertThat(crate.resolve("data/folder/also.txt")).doesNotExist();
  }

  private static String dataVersion(String manifest) {
    int i = manifest.indexOf("\"data_version\": \"");
    return manifest.substring(i, manifest.indexOf('"', i + 17) + 1);
  }

  private static String mode(Path f) throws IOException {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(f));
  }

  /** Removes a published output as a user would ({@code rm -rf}). */
  private static void removeOutput(Path output) throws IOException {
    try (Stream<Path> s = Files.walk(output)) {
      for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
