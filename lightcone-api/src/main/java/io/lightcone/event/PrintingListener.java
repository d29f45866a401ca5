package io.lightcone.event;

import io.lightcone.ExecutionReport;
import io.lightcone.TaskResult;
import java.io.PrintStream;

/**
 * {@link ExecutionListener#printing}: a line per finished task, for places without a terminal
 * (notebook cells, logs), so nothing is redrawn and no escape code is printed.
 */
final class PrintingListener implements ExecutionListener {
  private final PrintStream out;
  private int total;
  private int finished;

  PrintingListener(PrintStream out) {
    this.out = out;
  }

  @Override
  public synchronized void executionStarted(int total, int toRun) {
    this.total = total;
    out.println(total + " tasks, " + toRun + " to run");
    out.flush();
  }

  @Override
  public synchronized void substrateNote(String note) {
    out.println(note);
    out.flush();
  }

  @Override
  public synchronized void taskWarning(io.lightcone.TaskId task, String warning) {
    out.println("warning: " + task + ": " + warning);
    out.flush();
  }

  @Override
  public synchronized void taskFinished(TaskResult result) {
    finished++;
    if (result.outcome() == TaskResult.Outcome.UP_TO_DATE) {
      // Counted in the report; a line each would drown what did run.
      return;
    }
    out.println("[" + finished + "/" + total + "] " + result.line());
    out.flush();
  }

  @Override
  public void executionFinished(ExecutionReport report) {}
}
