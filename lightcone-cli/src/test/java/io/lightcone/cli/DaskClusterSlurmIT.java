package io.lightcone.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code lc cluster up / status / down} on the real SLURM that {@code .ci/run} starts (two nodes on
 * this machine), and {@code lc run --substrate dask --cluster NAME} on it. Each test has a HOME of
 * its own, so its clusters are its own; it cancels only jobs it submitted.
 */
class DaskClusterSlurmIT {
  @TempDir Path dir;

  private Path home;
  private JarLc lc;

  private JarLc.Run lc(long seconds, String... args) {
    if (lc == null) {
      lc = new JarLc(dir);
    }
    return lc.start(Map.of("HOME", home.toString()), false, args).await(seconds);
  }

  @AfterEach
  void downWhatIsLeft() throws IOException {
    if (home != null && Files.isDirectory(home.resolve(".lightcone/clusters/t"))) {
      lc(120, "cluster", "down", "t");
    }
  }

  @Test
  void up_twoRunsOnIt_onBothNodes_strangersRefused_down_leavesNothing() throws Exception {
    home = Files.createDirectories(dir.resolve("home"));
    JarLc.Run up = lc(300, "cluster", "up", "t", "--nodes", "2", "--wait", "--wait-seconds", "240");
    assertThat(up.exitCode()).as(up.all()).isZero();
    Matcher m = Pattern.compile("SLURM job (\\d+) queued").matcher(up.out());
    assertThat(m.find()).as(up.out()).isTrue();
    String job = m.group(1);
    assertThat(up.out()).contains("ready at tls://").contains("2 worker(s)");
    Path record = home.resolve(".lightcone/clusters/t");
    assertThat(mode(record)).isEqualTo("rwx------");
    for (String f : new String[] {"ca.pem", "cert.pem", "key.pem"}) {
      assertThat(mode(record.resolve(f))).as(f).isEqualTo("rw-------");
    }

    TreeSet<String> nodes = new TreeSet<>();
    for (String name : new String[] {"a", "b"}) {
      Path project = project(name);
      JarLc.Run run =
          lc(300, "run", "--substrate", "dask", "--cluster", "t", "-C", project.toString());
      assertThat(run.exitCode()).as(run.all()).isZero();
      assertThat(run.out()).contains("Dask attached cluster at tls://").contains("2 succeeded");
      for (int i = 0; i < 2; i++) {
        String[] where =
            Files.readString(project.resolve("results/u/t" + i + "/node")).strip().split(" ");
        assertThat(where).hasSize(2);
        nodes.add(where[0]);
      }
    }
    assertThat(nodes).as("nodes the tasks of both runs ran on").containsExactly("node1", "node2");

    // The cluster outlived both runs; a client without its credentials is refused, one with them
    // is not (so the refusal is the credentials', not a dead scheduler's).
    JarLc.Run status = lc(60, "cluster", "status");
    assertThat(status.exitCode()).as(status.all()).isZero();
    assertThat(status.out()).containsPattern("t\\s+" + job + "\\s+READY\\s+2/2");
    Matcher a = Pattern.compile("(tls://\\S+)").matcher(status.out());
    assertThat(a.find()).isTrue();
    String address = a.group(1);
    assertThat(connect("tcp://" + address.substring(6), null)).startsWith("refused");
    assertThat(connect(address, null)).startsWith("refused");
    assertThat(connect(address, record)).isEqualTo("connected");

    JarLc.Run again = lc(60, "cluster", "up", "t");
    assertThat(again.exitCode()).as(again.all()).isEqualTo(2);
    assertThat(again.err()).contains("cluster 't' is already up (SLURM job " + job);

    JarLc.Run down = lc(120, "cluster", "down", "t");
    assertThat(down.exitCode()).as(down.all()).isZero();
    assertThat(squeue(job)).as("squeue after down").isEmpty();
    assertThat(record).doesNotExist();
    JarLc.Run gone = lc(60, "cluster", "down", "t");
    assertThat(gone.exitCode()).isEqualTo(2);
    assertThat(gone.err().strip()).startsWith("lc: no cluster named 't'");
  }

  @Test
  void badInput_isOneLine_andLeavesNothingQueued() throws Exception {
    home = Files.createDirectories(dir.resolve("home"));
    JarLc.Run partition = lc(60, "cluster", "up", "x", "--partition", "no-such-partition");
    assertThat(partition.exitCode()).as(partition.all()).isEqualTo(4);
    assertThat(partition.err().strip())
        .doesNotContain("\n")
        .contains("sbatch refused the job")
        .contains("no-such-partition")
        .endsWith("nothing was queued");
    assertThat(home.resolve(".lightcone/clusters/x")).doesNotExist();
    assertThat(squeueByName("lc-cluster-x")).isEmpty();

    JarLc.Run unknown = lc(60, "cluster", "status", "nope");
    assertThat(unknown.exitCode()).as(unknown.all()).isEqualTo(2);
    assertThat(unknown.err()).contains("no cluster named 'nope'");
    JarLc.Run attach =
        lc(60, "run", "--substrate", "dask", "--cluster", "nope", "-C", project("c").toString());
    assertThat(attach.exitCode()).as(attach.all()).isEqualTo(2);

    // No sbatch on PATH: the JVM is started by its absolute path, PATH has no SLURM.
    Path bin = Files.createDirectories(dir.resolve("bin"));
    JarLc.Run none =
        new JarLc(dir)
            .start(
                Map.of("HOME", home.toString(), "PATH", bin.toString()),
                false,
                "cluster",
                "up",
                "x")
            .await(60);
    assertThat(none.exitCode()).as(none.all()).isEqualTo(4);
    assertThat(none.err().strip()).doesNotContain("\n").contains("needs SLURM's sbatch on PATH");
    assertThat(squeueByName("lc-cluster-x")).isEmpty();
  }

  private Path project(String name) throws IOException {
    Path project = dir.resolve(name);
    Files.createDirectories(project.resolve("universes"));
    StringBuilder astra = new StringBuilder("id: " + name + "\noutputs:\n");
    for (int i = 0; i < 2; i++) {
      astra.append(
          """
            - id: t%d
              type: data
              recipe:
                command: "sleep 1; echo $SLURMD_NODENAME $LIGHTCONE_DASK_WORKER > {output}/node"
                resources: {cpus: 1}
          """
              .formatted(i));
    }
    Files.writeString(project.resolve("astra.yaml"), astra.toString());
    Files.writeString(project.resolve("universes/u.yaml"), "{}\n");
    return project;
  }

  private static String mode(Path p) throws IOException {
    return java.nio.file.attribute.PosixFilePermissions.toString(
        Files.getPosixFilePermissions(p, java.nio.file.LinkOption.NOFOLLOW_LINKS));
  }

  private static String squeue(String job) throws Exception {
    return run("squeue", "--noheader", "--jobs=" + job, "--format=%i %T");
  }

  private static String squeueByName(String name) throws Exception {
    return run("squeue", "--noheader", "--me", "--name=" + name, "--format=%i %T");
  }

  private static String run(String... argv) throws Exception {
    Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    p.waitFor(60, TimeUnit.SECONDS);
    // squeue --jobs=ID of a job SLURM forgot exits 1 ("Invalid job id"): nothing is queued.
    return out.contains("Invalid job id") ? "" : out.strip();
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
            + "    c = Client(sys.argv[1], timeout=10, security="
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
}
