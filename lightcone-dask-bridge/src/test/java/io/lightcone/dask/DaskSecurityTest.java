package io.lightcone.dask;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lightcone.ExecutionReport;
import io.lightcone.LightconeException;
import io.lightcone.TaskResult;
import io.lightcone.TaskResult.Outcome;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 16, findings 1 and 2: no code from shared places, and the clusters we start speak TLS only.
 * Real Dask throughout.
 */
class DaskSecurityTest {
  @TempDir Path dir;

  /** A module that, when imported, leaves a mark and kills the interpreter. */
  private static String hostile(Path marker) {
    return "open('" + marker + "', 'a').write(__file__ + '\\n')\nraise SystemExit(97)\n";
  }

  private static void plant(Path where, Path marker) throws IOException {
    Files.createDirectories(where);
    for (String module : List.of("types.py", "json.py")) {
      Files.writeString(where.resolve(module), hostile(marker));
    }
  }

  @Test
  void hostileModulesInTmpAndCurrentDirectory_andAPlantedScript_areNotUsed() throws Exception {
    Path marker = dir.resolve("imported");
    // The JVM's temporary directory stands for /tmp (the old bridge wrote its script into
    // java.io.tmpdir): the shared /tmp of this machine is left alone for the other users.
    Path tmp = dir.resolve("tmp");
    Path cwd = dir.resolve("cwd");
    Path project = dir.resolve("project");
    plant(tmp, marker);
    plant(cwd, marker);
    plant(project, marker);
    // A script planted where the old bridge looked for its own (name from its content's hash,
    // used as it was when its size matched).
    byte[] real;
    try (InputStream in =
        DaskCluster.class.getResourceAsStream("/io/lightcone/dask/internal/lightcone_dask.py")) {
      real = in.readAllBytes();
    }
    String hash =
        HexFormat.of()
            .formatHex(MessageDigest.getInstance("SHA-256").digest(real))
            .substring(0, 12);
    String planted = hostile(marker);
    Files.writeString(
        tmp.resolve("lightcone-dask-" + hash + ".py"),
        planted + "#".repeat(real.length - planted.length() - 1) + "\n");

    ProcessBuilder pb =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Djava.io.tmpdir=" + tmp,
                "-cp",
                System.getProperty("java.class.path"),
                HostileRun.class.getName(),
                project.toString())
            .directory(cwd.toFile())
            .redirectErrorStream(true);
    pb.environment().put("TMPDIR", tmp.toString());
    Process jvm = pb.start();
    String out = new String(jvm.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(jvm.waitFor(180, TimeUnit.SECONDS)).isTrue();

    assertThat(out).contains("u/a SUCCEEDED");
    assertThat(project.resolve("a.txt")).hasContent("ran");
    assertThat(marker).doesNotExist();
    assertThat(jvm.exitValue()).as(out).isZero();
  }

  @Test
  void startedCluster_keepsScriptsAndKeysInAPrivateRunDirectory_removedOnClose()
      throws IOException {
    Path runDir;
    try (DaskCluster cluster = DaskCluster.forRun(TestEnvironments.local(), Optional.of(dir))) {
      Path root = dir.resolve(".lightcone/dask");
      assertThat(mode(root)).isEqualTo("rwx------");
      runDir = cluster.tls().orElseThrow();
      assertThat(runDir.getParent()).isEqualTo(root);
      assertThat(mode(runDir)).isEqualTo("rwx------");
      List<Path> files;
      try (Stream<Path> all = Files.list(runDir)) {
        files = all.toList();
      }
      assertThat(files)
          .extracting(p -> p.getFileName().toString())
          .contains("lightcone-dask.py", "ca.pem", "cert.pem", "key.pem");
      for (Path f : files) {
        assertThat(Files.getPosixFilePermissions(f))
            .as(f.toString())
            .doesNotContain(
                PosixFilePermission.GROUP_READ,
                PosixFilePermission.GROUP_WRITE,
                PosixFilePermission.OTHERS_READ,
                PosixFilePermission.OTHERS_WRITE);
      }
    }
    assertThat(runDir).doesNotExist();
  }

  @Test
  void privateDirectoryWithAWiderMode_isRefusedBeforeAnythingStarts() throws IOException {
    Path root = Files.createDirectories(dir.resolve(".lightcone/dask"));
    Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwxrwxrwx"));

    assertThatThrownBy(() -> DaskCluster.forRun(TestEnvironments.local(), Optional.of(dir)))
        .isInstanceOf(LightconeException.class)
        .hasMessageContaining(root + " has mode rwxrwxrwx")
        .hasMessageContaining("chmod go-w " + root)
        .extracting(e -> ((LightconeException) e).kind())
        .isEqualTo(LightconeException.Kind.ENVIRONMENT);
  }

  @Test
  void privateDirectoryOfAnotherUser_isRefused() throws IOException {
    Path root = Files.createDirectories(dir.resolve(".lightcone/dask"));
    Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwx------"));
    // The tests run as root in CI: give the directory away.
    Files.setOwner(
        root, root.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody"));

    assertThatThrownBy(() -> DaskCluster.forRun(TestEnvironments.local(), Optional.of(dir)))
        .isInstanceOf(LightconeException.class)
        .hasMessageContaining(root + " belongs to nobody");
  }

  @Test
  void clientWithoutTheCredentials_isRefused_whileTheRunSucceeds() throws Exception {
    try (DaskCluster cluster = DaskCluster.forRun(TestEnvironments.local(), Optional.of(dir))) {
      String address = cluster.address();
      assertThat(address).startsWith("tls://127.0.0.1:");
      String plain = "tcp://" + address.substring("tls://".length());
      Path tls = cluster.tls().orElseThrow();

      // A plain client, and one that speaks TLS without our certificate: both refused.
      assertThat(connect(plain, null)).startsWith("refused");
      assertThat(connect(address, null)).startsWith("refused");
      // The harness does connect when it may: with the run's credentials.
      assertThat(connect(address, tls)).isEqualTo("connected");

      ExecutionReport report =
          FakePlans.in(dir)
              .task("u/a", "echo ran > a.txt")
              .plan()
              .start(DaskSubstrate.on(cluster), new Recorder())
              .await();
      assertThat(report.results())
          .extracting(TaskResult::outcome)
          .containsExactly(Outcome.SUCCEEDED);
    }
  }

  /** A Dask client in a Python of its own, bounded: "connected" or "refused: why". */
  private static String connect(String address, Path tls) throws Exception {
    String security =
        tls == null
            ? "None"
            : "Security(require_encryption=True, tls_ca_file=d+'/ca.pem',"
                + " tls_client_cert=d+'/cert.pem', tls_client_key=d+'/key.pem')";
    String script =
        "import sys\n"
            + "from distributed import Client\n"
            + "from distributed.security import Security\n"
            + "d = sys.argv[2]\n"
            + "try:\n"
            + "    c = Client(sys.argv[1], timeout=5, security="
            + security
            + ")\n"
            + "    c.scheduler_info()\n"
            + "    print('connected')\n"
            + "    c.close()\n"
            + "except Exception as e:\n"
            + "    print('refused: %s: %s' % (type(e).__name__, e))\n";
    Process p =
        new ProcessBuilder(
                "/usr/bin/python3", "-I", "-c", script, address, tls == null ? "" : tls.toString())
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      return "hung";
    }
    String[] lines = out.strip().split("\n");
    return lines[lines.length - 1];
  }

  private static String mode(Path p) throws IOException {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
  }
}
