package io.lightcone.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.lightcone.LightconeException;
import io.lightcone.PlanOptions;
import io.lightcone.TaskResult;
import io.lightcone.TaskResult.Outcome;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How the cache places outputs (docs/cache.md): large incompressible files are kept raw and placed
 * by reflink where the file system can, else copied; {@code hardlink} links outputs to read-only
 * blobs; compressible files stay zstd-compressed.
 */
class CachePlacementTest {
  @TempDir Path dir;

  private static final String SPEC =
      """
      id: placed
      outputs:
        - id: out
          type: data
          recipe:
            command: "head -c 3000000 /dev/urandom > {output}/random.bin && seq 1 400000 > {output}/numbers.txt && echo small > {output}/small.txt"
      """;

  private static Path project(Path at) {
    return TestProjects.write(at, "astra.yaml", SPEC, "universes/u.yaml", "id: u\n");
  }

  private static TaskResult run(Path project, RunOptions options) {
    return Project.load(project)
        .plan(PlanOptions.defaults(), options)
        .execute(LocalSubstrate.create())
        .results()
        .get(0);
  }

  private static void removeOutput(Path project) throws IOException {
    try (Stream<Path> s = Files.walk(project.resolve("results/u/out"))) {
      for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  private static List<String> blobNames(Path project) throws IOException {
    try (Stream<Path> s = Files.walk(project.resolve(".lightcone/cache/blobs"))) {
      return s.filter(Files::isRegularFile).map(p -> p.getFileName().toString()).toList();
    }
  }

  @Test
  void incompressibleLargeFile_isKeptRaw_othersCompressed_andARestoreVerifies() throws IOException {
    Path p = project(dir.resolve("p"));
    assertThat(run(p, RunOptions.defaults()).outcome()).isEqualTo(Outcome.SUCCEEDED);
    byte[] random = Files.readAllBytes(p.resolve("results/u/out/random.bin"));

    assertThat(blobNames(p)).filteredOn(n -> n.endsWith(".raw")).hasSize(1);
    assertThat(blobNames(p)).filteredOn(n -> n.endsWith(".zst")).hasSize(2);

    removeOutput(p);
    assertThat(run(p, RunOptions.defaults()).outcome()).isEqualTo(Outcome.RESTORED);
    assertThat(Files.readAllBytes(p.resolve("results/u/out/random.bin"))).isEqualTo(random);
    assertThat(Project.load(p).verify().passed()).isTrue();
    assertThat(Project.load(p).cache().verify()).isEmpty();
  }

  @Test
  void hardlink_linksOutputsToReadOnlyBlobs_andStatsCountTheSharedBytes() throws IOException {
    Path p = project(dir.resolve("p"));
    RunOptions hardlink = RunOptions.builder().cacheLink("hardlink").build();
    assertThat(run(p, hardlink).outcome()).isEqualTo(Outcome.SUCCEEDED);
    assertThat(blobNames(p)).allMatch(n -> n.endsWith(".raw"));
    Path random = p.resolve("results/u/out/random.bin");
    assertThat(Files.getPosixFilePermissions(random).toString()).doesNotContain("WRITE");

    removeOutput(p);
    assertThat(run(p, hardlink).outcome()).isEqualTo(Outcome.RESTORED);

    assertThat((Integer) Files.getAttribute(random, "unix:nlink")).isEqualTo(2);
    assertThat(Files.getPosixFilePermissions(random).toString()).doesNotContain("WRITE");
    ContentCache.Stats stats = Project.load(p).cache().stats();
    assertThat(stats.hardlinkedBytes()).isGreaterThanOrEqualTo(3_000_000);
    assertThat(Project.load(p).verify().passed()).isTrue();
  }

  @Test
  void cacheVerify_aBlobThatIsADirectory_isDamaged() throws IOException {
    Path p = project(dir.resolve("p"));
    assertThat(run(p, RunOptions.defaults()).outcome()).isEqualTo(Outcome.SUCCEEDED);
    String digest = "ab" + "0".repeat(62);
    Files.createDirectories(p.resolve(".lightcone/cache/blobs/ab/" + digest + ".zst"));

    assertThat(Project.load(p).cache().verify()).containsExactly(digest);
  }

  @Test
  void anUnknownLinkType_isAUserError_namingTheValue() {
    Path p = project(dir.resolve("p"));
    assertThatThrownBy(() -> run(p, RunOptions.builder().cacheLink("symlink").build()))
        .isInstanceOf(LightconeException.class)
        .hasMessageContaining("'symlink'")
        .hasMessageContaining("auto, copy or hardlink");
  }

  /**
   * On XFS with reflinks (a loop image made by the test, as root; needs mkfs.xfs): the store and
   * the restore clone the large file instead of copying it, and the file system's used space grows
   * by less than one more copy.
   */
  @Test
  void onXfs_theLargeFileIsReflinked_andTakesSpaceOnce() throws Exception {
    boolean root = isRoot();
    boolean ci = "true".equals(System.getenv("CI"));
    if (!root && ci) {
      fail("CachePlacementTest mounts an XFS loop image and must run as root in CI (CI=true)");
    }
    assumeTrue(root, "mounting an XFS image needs root");
    Path mkfs = Path.of("/usr/sbin/mkfs.xfs");
    if (!Files.isExecutable(mkfs) && ci) {
      fail("mkfs.xfs is missing: apt-get install xfsprogs (.ci/run installs it)");
    }
    assumeTrue(Files.isExecutable(mkfs), "mkfs.xfs is missing (apt-get install xfsprogs)");
    Path image = dir.resolve("xfs.img");
    Path mnt = Files.createDirectories(dir.resolve("xfs"));
    sh("truncate", "-s", "320M", image.toString());
    sh("mkfs.xfs", "-q", "-m", "reflink=1", image.toString());
    sh("mount", "-o", "loop", image.toString(), mnt.toString());
    try {
      Path p = project(mnt.resolve("p"));
      assertThat(run(p, RunOptions.defaults()).outcome()).isEqualTo(Outcome.SUCCEEDED);
      long used = used(mnt);
      removeOutput(p);
      assertThat(run(p, RunOptions.defaults()).outcome()).isEqualTo(Outcome.RESTORED);
      Path q = project(mnt.resolve("q")); // another project, same cache: a second placement
      assertThat(
              run(q, RunOptions.builder().cacheDirectory(p.resolve(".lightcone/cache")).build())
                  .outcome())
          .isEqualTo(Outcome.RESTORED);

      ContentCache.Stats stats = Project.load(p).cache().stats();
      // Both large files (random and numbers, compressible or not: a clone costs no space) were
      // stored once by reflink and placed twice by reflink.
      long large = 3_000_000L + Files.size(p.resolve("results/u/out/numbers.txt"));
      assertThat(stats.reflinkedBytes()).as(stats.toString()).isEqualTo(3 * large);
      assertThat(used(mnt) - used).isLessThan(3_000_000L);
      assertThat(Project.load(p).verify().passed()).isTrue();
      assertThat(Project.load(q).verify().passed()).isTrue();
    } finally {
      sh("umount", "-l", mnt.toString());
    }
  }

  private static long used(Path mnt) throws IOException {
    java.nio.file.FileStore s = Files.getFileStore(mnt);
    return s.getTotalSpace() - s.getUnallocatedSpace();
  }

  private static boolean isRoot() {
    try {
      return sh("id", "-u").strip().equals("0");
    } catch (Exception e) {
      return false;
    }
  }

  private static String sh(String... argv) throws Exception {
    Process pr = new ProcessBuilder(argv).redirectErrorStream(true).start();
    String out = new String(pr.getInputStream().readAllBytes());
    assertThat(pr.waitFor(60, TimeUnit.SECONDS)).isTrue();
    if (pr.exitValue() != 0) {
      fail(String.join(" ", argv) + " failed: " + out);
    }
    return out;
  }
}
