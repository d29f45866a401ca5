package io.lightcone.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code lc run --substrate slurm} from the jar, on the real two-node SLURM that {@code .ci/run}
 * starts ({@code .ci/slurm-single-node.sh}): detached runs, jobs SLURM kills, Ctrl-C, and the bad
 * inputs. Without SLURM these tests fail, naming sbatch.
 */
class SlurmJarIT {
  private static final Duration PATIENCE = Duration.ofMinutes(4);

  @TempDir Path dir;

  @Test
  void detach_returnsAtOnceWithTheJobIds_theJobsRun_andStatusAndVerifyAreCleanAfterwards() {
    JarLc lc = new JarLc(dir);
    Path project = TestProjects.copyOfSample("period-luminosity", dir.resolve("pl"));
    String p = project.toString();

    JarLc.Run detached = lc.run("run", "--substrate", "slurm", "--detach", "-C", p);

    assertThat(detached.exitCode()).as(detached.all()).isZero();
    List<String> jobs = jobIds(detached.out());
    assertThat(jobs).as(detached.all()).hasSize(11);
    assertThat(detached.out()).contains("11 submitted");

    // A second run while they are queued or running submits nothing twice.
    JarLc.Run again = lc.run("run", "--substrate", "slurm", "--detach", "-C", p);
    assertThat(again.exitCode()).as(again.all()).isZero();
    assertThat(jobIds(again.out())).isEmpty();
    JarLc.Run meanwhile = lc.run("status", "-C", p);
    assertThat(meanwhile.out())
        .as(meanwhile.all())
        .contains("SLURM: 11 job(s) of a detached run: ");

    Await.until(PATIENCE, "the detached jobs end", () -> queued(jobs).isEmpty());
    JarLc.Run status = lc.run("status", "-C", p);
    assertThat(status.outLines()).as(status.all()).contains("11 outputs: 11 ok");
    assertThat(status.out()).contains("SLURM: 11 job(s) of a detached run: 11 ");
    JarLc.Run verify = lc.run("verify", "-C", p);
    assertThat(verify.exitCode()).as(verify.all()).isZero();
  }

  @Test
  void jobKilledAtItsTimeLimit_isReportedAsTimeout_andThePreviousOutputStays() throws Exception {
    JarLc lc = new JarLc(dir);
    Path project =
        TestProjects.write(
            dir.resolve("slow"),
            "astra.yaml",
            """
            id: slow
            outputs:
              - id: answer
                type: data
                recipe:
                  command: sh work.sh {output}
            """,
            "work.sh",
            "sleep \"${LC_IT_SLEEP:-0}\"\necho 42 > \"$1/answer.txt\"\n",
            "universes/only.yaml",
            "id: only\n");
    String p = project.toString();
    JarLc.Run first = lc.run("run", "--substrate", "slurm", "--poll", "0.5", "-C", p);
    assertThat(first.exitCode()).as(first.all()).isZero();
    Path answer = project.resolve("results/only/answer/answer.txt");
    String before = Files.readString(answer);

    JarLc.Run killed =
        lc.start(
                Map.of("LC_IT_SLEEP", "600"),
                false,
                "run",
                "--substrate",
                "slurm",
                "--force-all",
                "--no-cache",
                "--poll",
                "1",
                // SLURM's limit, not the recipe's (the task runner enforces a time_limit itself).
                "--sbatch-option=--time=1",
                "-C",
                p)
            .await(PATIENCE.toSeconds());

    assertThat(killed.exitCode()).as(killed.all()).isEqualTo(1);
    assertThat(killed.out()).contains("ended with TIMEOUT");
    assertThat(Files.readString(answer)).isEqualTo(before);
    assertThat(lc.run("verify", "-C", p).exitCode()).isZero();
  }

  @Test
  void ctrlC_cancelsEveryJobOfTheRun_exits130_andLeavesNothingInTheQueue() {
    JarLc lc = new JarLc(dir);
    Path project =
        TestProjects.oneTaskProject(
            dir.resolve("long"), "echo started > ../started; sleep 300; echo x > {output}/x");
    JarLc.Started run =
        lc.start(
            Map.of(),
            true,
            "run",
            "--substrate",
            "slurm",
            "--poll",
            "0.5",
            // The recipe marks its start outside the project, which the sandbox would refuse.
            "--sandbox",
            "off",
            "-C",
            project.toString());
    Await.until(PATIENCE, "the job's recipe starts", () -> Files.exists(dir.resolve("started")));
    List<String> jobs = ourJobs(project);
    assertThat(jobs).hasSize(1);

    signal("INT", run.process().pid());
    JarLc.Run interrupted = run.await(PATIENCE.toSeconds());

    assertThat(interrupted.exitCode()).as(interrupted.all()).isEqualTo(130);
    assertThat(interrupted.out()).contains("cancelled 1 SLURM job(s): " + jobs.get(0));
    assertThat(queued(jobs)).isEmpty();
    assertThat(project.resolve("results/only/answer")).doesNotExist();
  }

  @Test
  void unknownPartition_exits4NamingIt_andLeavesNothingInTheQueue() {
    JarLc lc = new JarLc(dir);
    Path project = TestProjects.copyOfSample("period-luminosity", dir.resolve("pl"));

    JarLc.Run run =
        lc.run(
            "run", "--substrate", "slurm", "--partition", "nosuchpart", "-C", project.toString());

    assertThat(run.exitCode()).as(run.all()).isEqualTo(4);
    assertThat(run.err().lines().toList())
        .as(run.all())
        .singleElement()
        .asString()
        .startsWith("lc: SLURM refused the job of ")
        .contains("invalid partition");
    assertThat(ourJobs(project)).isEmpty();
  }

  @Test
  void noSbatchOnPath_exits4_sayingWhatToDo() {
    JarLc lc = new JarLc(dir);
    Path project = TestProjects.oneTaskProject(dir.resolve("one"), "echo x > {output}/x");

    JarLc.Run run =
        lc.start(
                Map.of("PATH", "/nonexistent"),
                false,
                "run",
                "--substrate",
                "slurm",
                "-C",
                project.toString())
            .await(60);

    assertThat(run.exitCode()).as(run.all()).isEqualTo(4);
    assertThat(run.err()).contains("needs SLURM's sbatch on PATH").doesNotContain("Exception");
  }

  private static final Pattern SUBMITTED =
      Pattern.compile("submitted \\d+ SLURM job\\(s\\): ([\\d ]+)");

  private static List<String> jobIds(String out) {
    Matcher m = SUBMITTED.matcher(out);
    return m.find() ? List.of(m.group(1).strip().split(" ")) : List.of();
  }

  /** Which of {@code jobs} SLURM still has pending or running. */
  private static List<String> queued(List<String> jobs) {
    String out = command("squeue", "--noheader", "--format=%i", "--jobs=" + String.join(",", jobs));
    List<String> still = new ArrayList<>();
    out.lines().map(String::strip).filter(jobs::contains).forEach(still::add);
    return still;
  }

  /** The pending or running jobs whose script lies in {@code project}'s run directories. */
  private static List<String> ourJobs(Path project) {
    String out = command("squeue", "--noheader", "--me", "--format=%i|%o");
    List<String> ours = new ArrayList<>();
    out.lines()
        .map(l -> l.strip().split("\\|", 2))
        .filter(
            f -> f.length == 2 && f[1].startsWith(project.resolve(".lightcone/slurm").toString()))
        .forEach(f -> ours.add(f[0]));
    return ours;
  }

  private static String command(String... argv) {
    try {
      Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes());
      assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  private static void signal(String signal, long pid) {
    command("kill", "-" + signal, Long.toString(pid));
  }
}
