package io.lightcone.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.lightcone.TaskId;
import io.lightcone.TaskResult;
import io.lightcone.TaskResult.Outcome;
import io.lightcone.core.Project;
import io.lightcone.core.TaskProtocol;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code lc task serve}, the long-lived task runner a Dask worker keeps: many tasks in one process
 * and one project load, each still checked against its code_version, each cancelled on its own.
 */
class TaskServeCommandTest {
  @TempDir Path dir;

  private OutputStream requests;
  private BufferedReader answers;
  private CompletableFuture<Integer> served;

  private static Path project(Path dir, String... recipes) {
    StringBuilder yaml = new StringBuilder("id: many\noutputs:\n");
    for (int i = 0; i < recipes.length; i++) {
      yaml.append("  - id: t")
          .append(i + 1)
          .append("\n    type: data\n    recipe:\n      command: '")
          .append(recipes[i].replace("'", "''"))
          .append("'\n");
    }
    return TestProjects.write(dir, "astra.yaml", yaml.toString(), "universes/u.yaml", "id: u\n");
  }

  private static String cv(Path project, String task) {
    return Project.load(project).plan().task(task).task().codeVersion();
  }

  private void serve(Path project) throws IOException {
    PipedInputStream in = new PipedInputStream(1 << 16);
    requests = new PipedOutputStream(in);
    PipedInputStream outIn = new PipedInputStream(1 << 16);
    PrintWriter out = new PrintWriter(new PipedOutputStream(outIn), true, StandardCharsets.UTF_8);
    answers = new BufferedReader(new InputStreamReader(outIn, StandardCharsets.UTF_8));
    CommandLine cl =
        new CommandLine(
            new TaskServeCommand(
                new CliEnvironment(false, 80, Interrupts.NONE, System::nanoTime), in));
    cl.setOut(out);
    served =
        CompletableFuture.supplyAsync(
            () -> cl.execute("--project", project.toString(), "--substrate", "dask"));
  }

  private void send(String line) throws IOException {
    requests.write((line + "\n").getBytes(StandardCharsets.UTF_8));
    requests.flush();
  }

  private void run(String id, String task, String codeVersion) throws IOException {
    send(TaskProtocol.encode(TaskProtocol.Request.run(id, TaskId.parse(task), codeVersion)));
  }

  /** The next {@code n} answers by request id. */
  private Map<String, TaskResult> answers(int n) throws IOException {
    Map<String, TaskResult> byId = new HashMap<>();
    while (byId.size() < n) {
      String line = answers.readLine();
      assertThat(line).as("the runner ended early").isNotNull();
      String id = line.replaceAll(".*\"id\":\"([^\"]+)\".*", "$1");
      byId.put(id, TaskProtocol.decode(line));
    }
    return byId;
  }

  @AfterEach
  void stop() throws Exception {
    if (requests != null) {
      requests.close(); // end of input: the runner cancels what runs and ends
      assertThat(served.get(60, TimeUnit.SECONDS)).isZero();
    }
  }

  @Test
  void manyTasks_runInOneRunner_eachPublished() throws Exception {
    String[] recipes = new String[6];
    java.util.Arrays.fill(recipes, "echo 1 > {output}/v");
    Path p = project(dir.resolve("p"), recipes);
    serve(p);

    for (int i = 1; i <= 6; i++) {
      run("r" + i, "u/t" + i, cv(p, "u/t" + i));
    }
    Map<String, TaskResult> got = answers(6);

    assertThat(got.values()).extracting(TaskResult::outcome).containsOnly(Outcome.SUCCEEDED);
    assertThat(got.get("r3").task()).isEqualTo(TaskId.parse("u/t3"));
    for (int i = 1; i <= 6; i++) {
      assertThat(p.resolve("results/u/t" + i + "/.lightcone-manifest.json")).exists();
    }
  }

  @Test
  void aChangeBetweenTwoTasks_isCaught_andTheProjectIsReloaded() throws Exception {
    Path p = project(dir.resolve("p"), "echo 1 > {output}/v", "echo 2 > {output}/v");
    String cv1 = cv(p, "u/t1");
    String cv2 = cv(p, "u/t2");
    serve(p);
    run("first", "u/t1", cv1);
    assertThat(answers(1).get("first").outcome()).isEqualTo(Outcome.SUCCEEDED);

    // t2's recipe changes after planning: the plan's code_version no longer holds.
    project(p, "echo 1 > {output}/v", "echo changed > {output}/v");
    run("second", "u/t2", cv2);
    TaskResult second = answers(1).get("second");

    assertThat(second.outcome()).isEqualTo(Outcome.FAILED);
    assertThat(second.detail()).contains("the spec changed since the plan was made");
    assertThat(p.resolve("results/u/t2")).doesNotExist();
    // The reloaded project runs t2 under its new code_version.
    run("third", "u/t2", cv(p, "u/t2"));
    assertThat(answers(1).get("third").outcome()).isEqualTo(Outcome.SUCCEEDED);
  }

  @Test
  void cancel_killsThatTasksRecipeOnly() throws Exception {
    Path p =
        project(
            dir.resolve("p"),
            "echo started > marker-1; sleep 600; echo 1 > {output}/v",
            "sleep 3; echo 2 > {output}/v");
    serve(p);
    run("slow", "u/t1", cv(p, "u/t1"));
    run("other", "u/t2", cv(p, "u/t2"));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (sleeps("600") == 0 && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    assertThat(sleeps("600")).as("the slow recipe started").isEqualTo(1);

    send(TaskProtocol.encode(TaskProtocol.Request.cancel("slow")));
    Map<String, TaskResult> got = answers(2);

    assertThat(got.get("slow").outcome()).isEqualTo(Outcome.CANCELLED);
    assertThat(got.get("other").outcome()).isEqualTo(Outcome.SUCCEEDED);
    assertThat(sleeps("600")).isZero();
    assertThat(p.resolve("results/u/t1")).doesNotExist();
    assertThat(p.resolve("results/u/t2/v")).exists();
  }

  @Test
  void aHostileLine_isAnsweredWithAnError_andTheRunnerGoesOn() throws Exception {
    Path p = project(dir.resolve("p"), "echo 1 > {output}/v");
    serve(p);

    send("{\"protocol\":1,\"op\":\"run\",\"id\":\"x\",\"task\":\"u/t1\",\"code_v");
    String error = answers.readLine();
    run("after", "u/t1", cv(p, "u/t1"));

    assertThat(error).startsWith("{\"protocol\":1,\"id\":null,\"error\":\"a task request ");
    assertThat(answers(1).get("after").outcome()).isEqualTo(Outcome.SUCCEEDED);
  }

  /** How many processes of this JVM's tree run {@code sleep ARG}. */
  private static long sleeps(String arg) {
    return ProcessHandle.current()
        .descendants()
        .filter(ProcessHandle::isAlive)
        .filter(
            h ->
                h.info().commandLine().map(c -> c.matches(".*sleep " + arg + "$")).orElse(false)
                    || h.info()
                        .arguments()
                        .map(a -> a.length == 1 && a[0].equals(arg))
                        .orElse(false))
        .count();
  }
}
