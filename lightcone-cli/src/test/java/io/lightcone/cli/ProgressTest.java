package io.lightcone.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.lightcone.ExecutionReport;
import io.lightcone.TaskId;
import io.lightcone.TaskResult;
import io.lightcone.TaskResult.Outcome;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The two progress renderers, fed a listener sequence by hand with a fake clock. */
class ProgressTest {
  private static final TaskId PHOTOMETRY = TaskId.parse("baseline/photometry");
  private static final TaskId FIT = TaskId.parse("baseline/pl_fit");
  private static final TaskId DISTANCE = TaskId.parse("baseline/distance");
  private static final TaskId ZERO_POINT = TaskId.parse("baseline/calibration.zero_point");
  private static final String DISTANCE_LOG = ".lightcone/logs/baseline/distance.log";

  @TempDir Path project;
  private final StringWriter text = new StringWriter();
  private final PrintWriter out = new PrintWriter(text);
  private final AtomicLong nanos = new AtomicLong(1_000_000_000L);

  private void advance(long millis) {
    nanos.addAndGet(millis * 1_000_000L);
  }

  private static TaskResult ok(TaskId task, long millis) {
    return new TaskResult(
        task,
        Outcome.SUCCEEDED,
        OptionalInt.of(0),
        "",
        Optional.of(".lightcone/logs/" + task.universe() + "/" + task.output() + ".log"),
        Duration.ofMillis(millis),
        1,
        List.of());
  }

  private static TaskResult failed(TaskId task, long millis) {
    return new TaskResult(
        task,
        Outcome.FAILED,
        OptionalInt.of(3),
        "exit code 3 (log: " + DISTANCE_LOG + ")",
        Optional.of(DISTANCE_LOG),
        Duration.ofMillis(millis),
        1,
        List.of());
  }

  private void writeDistanceLog(int lines) {
    StringBuilder log = new StringBuilder();
    for (int i = 1; i <= lines; i++) {
      log.append("line ").append(i).append('\n');
    }
    TestProjects.write(project, DISTANCE_LOG, log.toString());
  }

  /** Up-to-date, a success with a warning, a failure with its log, then the summary. */
  private List<TaskResult> feed(Progress progress) {
    List<TaskResult> results = new ArrayList<>();
    progress.executionStarted(4, 3);
    TaskResult fresh = TaskResult.of(PHOTOMETRY, Outcome.UP_TO_DATE, "fresh");
    progress.taskFinished(fresh);
    results.add(fresh);
    progress.taskStarted(FIT, 1);
    progress.taskOutput(FIT, "fitting 60 stars");
    advance(300);
    progress.taskWarning(FIT, "metric output has no JSON file");
    TaskResult fit = ok(FIT, 300);
    progress.taskFinished(fit);
    results.add(fit);
    progress.taskStarted(DISTANCE, 1);
    advance(200);
    TaskResult distance = failed(DISTANCE, 200);
    progress.taskFinished(distance);
    results.add(distance);
    TaskResult skipped =
        TaskResult.of(ZERO_POINT, Outcome.SKIPPED, "skipped: baseline/distance failed");
    progress.taskFinished(skipped);
    results.add(skipped);
    return results;
  }

  @Test
  void plain_sequence_printsOneLinePerEvent_andTheSummary() {
    writeDistanceLog(15);
    PlainProgress progress = new PlainProgress(out, project, nanos::get);

    List<TaskResult> results = feed(progress);
    progress.summary(new ExecutionReport("local", results, Duration.ofMillis(3_240)), false);

    assertThat(text.toString().lines())
        .containsExactly(
            "4 tasks, 3 to run (1 up-to-date)",
            "[1/4] start baseline/pl_fit",
            "warning: baseline/pl_fit: metric output has no JSON file",
            "[2/4] ok baseline/pl_fit 0.3s",
            "[2/4] start baseline/distance",
            "[3/4] failed baseline/distance 0.2s: exit code 3 (log: " + DISTANCE_LOG + ")",
            "    | line 6",
            "    | line 7",
            "    | line 8",
            "    | line 9",
            "    | line 10",
            "    | line 11",
            "    | line 12",
            "    | line 13",
            "    | line 14",
            "    | line 15",
            "[4/4] skipped baseline/calibration.zero_point: baseline/distance failed",
            "4 tasks: 1 succeeded, 1 up-to-date, 1 failed, 1 skipped in 3.2s",
            "failed: baseline/distance: exit code 3 (log: " + DISTANCE_LOG + ")");
    assertThat(text.toString()).doesNotContain("\r");
  }

  @Test
  void plain_failureWithoutLogFile_showsWhatTheRecipeStreamed() {
    PlainProgress progress = new PlainProgress(out, project, nanos::get);
    progress.executionStarted(1, 1);
    progress.taskStarted(DISTANCE, 1);
    for (int i = 1; i <= 12; i++) {
      progress.taskOutput(DISTANCE, "out " + i);
    }
    progress.taskOutput(DISTANCE, "bell \u0007 and escape \u001b[31m");

    progress.taskFinished(failed(DISTANCE, 100));

    assertThat(text.toString().lines())
        .contains("    | out 4", "    | bell ? and escape ?[31m")
        .doesNotContain("    | out 3");
  }

  @Test
  void plain_retriedTask_isCountedOnce() {
    PlainProgress progress = new PlainProgress(out, project, nanos::get);
    progress.executionStarted(1, 1);
    progress.taskStarted(FIT, 1);
    progress.taskFinished(
        new TaskResult(
            FIT,
            Outcome.FAILED,
            OptionalInt.of(1),
            "exit code 1",
            Optional.empty(),
            Duration.ZERO,
            1,
            List.of()));
    progress.taskStarted(FIT, 2);
    progress.taskFinished(ok(FIT, 100));

    assertThat(text.toString().lines())
        .containsExactly(
            "1 task, 1 to run",
            "[0/1] start baseline/pl_fit",
            "[1/1] failed baseline/pl_fit 0.0s: exit code 1",
            "[0/1] start baseline/pl_fit (attempt 2)",
            "[1/1] ok baseline/pl_fit 0.1s");
  }

  @Test
  void summary_interrupted_saysNothingWasPublishedHalfway() {
    PlainProgress progress = new PlainProgress(out, project, nanos::get);
    TaskResult cancelled = TaskResult.of(FIT, Outcome.CANCELLED, "cancelled before it started");

    progress.summary(new ExecutionReport("local", List.of(cancelled), Duration.ofSeconds(1)), true);

    assertThat(text.toString().lines())
        .containsExactly(
            "1 task: 1 cancelled in 1.0s",
            "interrupted: running recipes were stopped; their previous outputs are untouched");
  }

  @Test
  void tty_statusLine_countsRunningFailedElapsedEtaAndNamesRunningTasks() {
    TtyProgress progress = new TtyProgress(out, project, nanos::get, 200);
    progress.executionStarted(5, 5);
    progress.taskStarted(PHOTOMETRY, 1);
    progress.taskStarted(ZERO_POINT, 1);
    advance(1_000);
    progress.taskFinished(ok(PHOTOMETRY, 1_000));
    progress.taskStarted(FIT, 1);
    advance(500);

    assertThat(progress.statusLine())
        .isEqualTo(
            "[1/5] 2 running, 0 failed | 1.5s, ETA 6.0s |"
                + " baseline/calibration.zero_point, baseline/pl_fit");
  }

  @Test
  void tty_statusLine_isCutToTheTerminalWidth() {
    TtyProgress progress = new TtyProgress(out, project, nanos::get, 40);
    progress.executionStarted(3, 3);
    progress.taskStarted(ZERO_POINT, 1);
    progress.taskStarted(FIT, 1);

    String line = progress.statusLine();

    assertThat(line).hasSize(39).startsWith("[0/3] 2 running, 0 failed | 0.0s |").endsWith("...");
  }

  @Test
  void tty_finishedTask_isPrintedAboveTheRedrawnStatusLine() {
    TtyProgress progress = new TtyProgress(out, project, nanos::get, 100);
    progress.executionStarted(2, 2);
    progress.taskStarted(FIT, 1);
    String status = "[0/2] 1 running, 0 failed | 0.0s | baseline/pl_fit";
    text.getBuffer().setLength(0);
    advance(300);

    progress.taskFinished(ok(FIT, 300));

    String erase = "\r" + " ".repeat(status.length()) + "\r";
    assertThat(text.toString())
        .isEqualTo(
            erase
                + "[1/2] ok baseline/pl_fit 0.3s"
                + System.lineSeparator()
                + "\r[1/2] 0 running, 0 failed | 0.3s, ETA 0.3s");
  }

  @Test
  void tty_shorterStatusLine_blanksTheRestOfTheLongerOne() {
    TtyProgress progress = new TtyProgress(out, project, nanos::get, 100);
    progress.executionStarted(2, 2);
    progress.taskStarted(ZERO_POINT, 1);
    text.getBuffer().setLength(0);

    progress.taskFinished(TaskResult.of(ZERO_POINT, Outcome.UP_TO_DATE, "fresh"));

    String longer = "[0/2] 1 running, 0 failed | 0.0s | baseline/calibration.zero_point";
    String shorter = "[1/2] 0 running, 0 failed | 0.0s";
    assertThat(text.toString())
        .isEqualTo(
            "\r" + shorter + " ".repeat(longer.length() - shorter.length()) + "\r" + shorter);
  }

  @Test
  void tty_summary_erasesTheStatusLineFirst() {
    TtyProgress progress = new TtyProgress(out, project, nanos::get, 100);
    List<TaskResult> results = feed(progress);
    text.getBuffer().setLength(0);

    progress.summary(new ExecutionReport("local", results, Duration.ofMillis(500)), false);

    assertThat(text.toString())
        .startsWith("\r ")
        .contains("\r4 tasks: 1 succeeded, 1 up-to-date, 1 failed, 1 skipped in 0.5s");
    assertThat(text.toString().lines().toList()).last().asString().startsWith("failed: ");
  }

  @Test
  void tty_tickAfterTheSummary_drawsNothing() {
    TtyProgress progress = new TtyProgress(out, project, nanos::get, 100);
    List<TaskResult> results = feed(progress);
    progress.summary(new ExecutionReport("local", results, Duration.ofMillis(500)), false);
    String summary = text.toString();

    progress.tick();

    assertThat(text.toString()).isEqualTo(summary);
  }

  @Test
  void tty_startedTask_redrawsInsteadOfPrintingALine() {
    TtyProgress progress = new TtyProgress(out, project, nanos::get, 100);
    progress.executionStarted(1, 1);
    text.getBuffer().setLength(0);

    progress.taskStarted(FIT, 1);

    assertThat(text.toString())
        .isEqualTo("\r[0/1] 1 running, 0 failed | 0.0s | baseline/pl_fit")
        .doesNotContain("start");
  }

  @Test
  void resultLine_saysTheOutcomeOnce() {
    TaskResult restored =
        new TaskResult(
            FIT,
            Outcome.RESTORED,
            OptionalInt.empty(),
            "restored from cache",
            Optional.empty(),
            Duration.ofMillis(40),
            1,
            List.of());

    assertThat(Progress.resultLine(restored))
        .isEqualTo("restored baseline/pl_fit 0.0s: from cache");
    assertThat(
            Progress.resultLine(
                TaskResult.of(FIT, Outcome.SKIPPED, "skipped: baseline/photometry failed")))
        .isEqualTo("skipped baseline/pl_fit: baseline/photometry failed");
  }

  @Test
  void duration_isShortAndReadable() {
    assertThat(Progress.duration(Duration.ofMillis(340))).isEqualTo("0.3s");
    assertThat(Progress.duration(Duration.ofMillis(42_049))).isEqualTo("42.0s");
    assertThat(Progress.duration(Duration.ofSeconds(187))).isEqualTo("3m07s");
    assertThat(Progress.duration(Duration.ofMinutes(125))).isEqualTo("2h05m");
  }

  @Test
  void lastLines_ofALongLog_readsOnlyItsEnd() throws Exception {
    StringBuilder log = new StringBuilder();
    for (int i = 0; i < 20_000; i++) {
      log.append("a fairly long line of recipe output, number ").append(i).append('\n');
    }
    Path file = TestProjects.write(project, "big.log", log.toString()).resolve("big.log");

    assertThat(Progress.lastLines(file, 2))
        .containsExactly(
            "a fairly long line of recipe output, number 19998",
            "a fairly long line of recipe output, number 19999");
  }
}
