package io.lightcone.cli;

import io.lightcone.ExecutionReport;
import io.lightcone.TaskId;
import io.lightcone.TaskResult;
import io.lightcone.TaskResult.Outcome;
import io.lightcone.event.ExecutionListener;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * What {@code lc run} prints while a plan executes: a line per started and finished task, a
 * failure's log tail, warnings, and the summary. Subclasses decide whether there is also a live
 * status line ({@link TtyProgress}) or not ({@link PlainProgress}).
 *
 * <p>Listener methods come from the substrate's threads; every method here is synchronized, so
 * lines never interleave.
 */
abstract class Progress implements ExecutionListener {
  /** How much of a failed task's log is shown. */
  static final int LOG_TAIL_LINES = 10;

  private static final int LOG_TAIL_BYTES = 64 * 1024;

  protected final PrintWriter out;
  private final Path project;
  private final LongSupplier nanoTime;
  private final long startedAt;
  private int total;
  private int toRun;
  private final Map<TaskId, Long> running = new LinkedHashMap<>();
  private final Map<TaskId, Outcome> finished = new HashMap<>();
  private final Map<TaskId, Deque<String>> recentOutput = new HashMap<>();
  private int ran;
  private boolean summarised;
  private boolean colour;

  Progress(PrintWriter out, Path project, LongSupplier nanoTime) {
    this.out = out;
    this.project = project;
    this.nanoTime = nanoTime;
    this.startedAt = nanoTime.getAsLong();
  }

  /** Paints each finished task's outcome word (green ok, red failed, ...); off by default. */
  final Progress colour(boolean on) {
    this.colour = on;
    return this;
  }

  /** Prints {@code lines} as permanent lines (above the status line, if there is one). */
  protected abstract void print(List<String> lines);

  /** Prints a line about the run itself (where it runs), among the tasks' lines. */
  synchronized void note(String line) {
    print(List.of(line));
  }

  @Override
  public void substrateNote(String note) {
    note(note);
  }

  /** Redraws the live status line, if there is one. */
  synchronized void tick() {}

  /** Removes the live status line, if there is one, before the summary. */
  protected void clearStatus() {}

  @Override
  public synchronized void executionStarted(int total, int toRun) {
    this.total = total;
    this.toRun = toRun;
    int fresh = total - toRun;
    print(
        List.of(
            plural(total, "task")
                + ", "
                + toRun
                + " to run"
                + (fresh > 0 ? " (" + fresh + " up-to-date)" : "")));
  }

  @Override
  public synchronized void taskStarted(TaskId task, int attempt) {
    finished.remove(task);
    running.put(task, nanoTime.getAsLong());
    recentOutput.put(task, new ArrayDeque<>());
    started(counter() + " start " + task + (attempt > 1 ? " (attempt " + attempt + ")" : ""));
  }

  /** A task started: {@code line} says so. */
  protected void started(String line) {
    print(List.of(line));
  }

  @Override
  public synchronized void taskOutput(TaskId task, String line) {
    Deque<String> recent = recentOutput.get(task);
    if (recent != null) {
      recent.addLast(line);
      if (recent.size() > LOG_TAIL_LINES) {
        recent.removeFirst();
      }
    }
  }

  @Override
  public synchronized void taskWarning(TaskId task, String warning) {
    print(List.of("warning: " + task + ": " + warning));
  }

  @Override
  public synchronized void taskFinished(TaskResult result) {
    running.remove(result.task());
    finished.put(result.task(), result.outcome());
    Deque<String> recent = recentOutput.remove(result.task());
    if (result.outcome() == Outcome.UP_TO_DATE) {
      // Counted in the summary; a line each would drown what did run.
      tick();
      return;
    }
    ran++;
    List<String> lines = new ArrayList<>();
    lines.add(finishedLine(result));
    if (result.outcome() == Outcome.FAILED) {
      List<String> tail = logTail(result, recent);
      for (String l : tail) {
        lines.add("    | " + l);
      }
    }
    print(lines);
  }

  @Override
  public synchronized void executionFinished(ExecutionReport report) {
    // The summary comes from summary(report), printed by the command once await() returned.
  }

  /** The last lines: {@code 11 tasks: 9 succeeded, 2 up-to-date in 3.2s} and the failures. */
  synchronized void summary(ExecutionReport report, boolean interrupted) {
    clearStatus();
    summarised = true;
    List<String> parts = new ArrayList<>();
    report.counts().forEach((outcome, n) -> parts.add(n + " " + outcome.word()));
    out.println(
        plural(report.results().size(), "task")
            + ": "
            + (parts.isEmpty() ? "nothing to do" : String.join(", ", parts))
            + " in "
            + duration(report.elapsed()));
    for (TaskResult r : report.failures()) {
      out.println(paint("failed:", Habits.RED) + " " + r.task() + ": " + r.detail());
    }
    if (interrupted) {
      out.println(
          paint("interrupted:", Habits.YELLOW)
              + " running recipes were stopped; their previous outputs are untouched");
    }
    out.flush();
  }

  /** {@code [3/11]}: tasks finished so far, of all tasks. */
  protected final String counter() {
    return "[" + finishedCount() + "/" + total + "]";
  }

  /** Whether the summary is out: nothing may be drawn below it. */
  protected final boolean summarised() {
    return summarised;
  }

  protected final int finishedCount() {
    return finished.size();
  }

  protected final int total() {
    return total;
  }

  protected final int failedCount() {
    return (int) finished.values().stream().filter(o -> o == Outcome.FAILED).count();
  }

  protected final List<TaskId> running() {
    return List.copyOf(running.keySet());
  }

  protected final Duration elapsed() {
    return Duration.ofNanos(nanoTime.getAsLong() - startedAt);
  }

  /**
   * Time left, from the pace of the tasks that ran so far; empty until one finished. Parallel runs
   * finish tasks faster than one at a time, and the pace already shows it.
   */
  protected final Duration eta() {
    int left = toRun - ran;
    if (ran == 0 || left <= 0) {
      return null;
    }
    return elapsed().dividedBy(ran).multipliedBy(left);
  }

  private String finishedLine(TaskResult r) {
    String line = resultLine(r);
    int word = line.indexOf(' ');
    if (colour && word > 0) {
      line = paint(line.substring(0, word), sgr(r.outcome())) + line.substring(word);
    }
    return counter() + " " + line;
  }

  private String paint(String text, String sgr) {
    return colour ? Habits.paint(text, sgr) : text;
  }

  private static String sgr(Outcome outcome) {
    return switch (outcome) {
      case SUCCEEDED, UP_TO_DATE -> Habits.GREEN;
      case RESTORED, SUBMITTED -> Habits.CYAN;
      case FAILED -> Habits.RED;
      case SKIPPED, CANCELLED -> Habits.YELLOW;
    };
  }

  /**
   * {@code ok baseline/pl_fit 0.3s}, or {@code failed baseline/distance 0.2s: exit code 1 (log:
   * .lightcone/logs/baseline/distance.log)}: the outcome, the task, its time and what happened.
   */
  static String resultLine(TaskResult r) {
    return r.line();
  }

  /** The failed recipe's last lines: from its log file, else from what it streamed. */
  private List<String> logTail(TaskResult r, Deque<String> streamed) {
    if (r.log().isPresent()) {
      Path file = project.resolve(r.log().get());
      if (Files.isRegularFile(file)) {
        try {
          return printable(lastLines(file, LOG_TAIL_LINES));
        } catch (IOException e) {
          // Fall back to what the recipe streamed.
        }
      }
    }
    return streamed == null ? List.of() : printable(List.copyOf(streamed));
  }

  /** The last {@code n} lines of {@code file}, reading at most its last 64 KiB. */
  static List<String> lastLines(Path file, int n) throws IOException {
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
      long length = f.length();
      int size = (int) Math.min(length, LOG_TAIL_BYTES);
      byte[] bytes = new byte[size];
      f.seek(length - size);
      f.readFully(bytes);
      List<String> lines = new String(bytes, StandardCharsets.UTF_8).lines().toList();
      if (size < length && !lines.isEmpty()) {
        lines = lines.subList(1, lines.size()); // the first one is cut
      }
      return lines.subList(Math.max(0, lines.size() - n), lines.size());
    }
  }

  /** Control characters of a recipe's output would garble the terminal; show them as '?'. */
  private static List<String> printable(List<String> lines) {
    List<String> out = new ArrayList<>(lines.size());
    for (String l : lines) {
      StringBuilder b = new StringBuilder(l.length());
      l.codePoints()
          .forEach(c -> b.appendCodePoint(c == '\t' || !Character.isISOControl(c) ? c : '?'));
      out.add(b.toString());
    }
    return out;
  }

  /** {@code 0.3s}, {@code 42.0s}, {@code 3m07s}, {@code 2h05m}. */
  static String duration(Duration d) {
    long millis = Math.max(0, d.toMillis());
    if (millis < 60_000) {
      return String.format(Locale.ROOT, "%.1fs", millis / 1000.0);
    }
    long seconds = millis / 1000;
    if (seconds < 3600) {
      return String.format(Locale.ROOT, "%dm%02ds", seconds / 60, seconds % 60);
    }
    return String.format(Locale.ROOT, "%dh%02dm", seconds / 3600, (seconds % 3600) / 60);
  }

  static String plural(int n, String noun) {
    return n + " " + noun + (n == 1 ? "" : "s");
  }
}
