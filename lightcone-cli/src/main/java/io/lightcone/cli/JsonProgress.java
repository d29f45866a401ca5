package io.lightcone.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import io.lightcone.ExecutionReport;
import io.lightcone.TaskId;
import io.lightcone.TaskResult;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * {@code lc run --json}: one JSON object per line as the run goes (JSON Lines), the last one the
 * summary. The shapes are in docs/commands.md.
 *
 * <pre>
 * {"event":"start","task":"baseline/pl_fit","universe":"baseline","output":"pl_fit","attempt":1}
 * {"event":"end","task":"baseline/pl_fit","universe":"baseline","output":"pl_fit","outcome":"succeeded","seconds":0.31,"reason":"","attempts":1,"exit_code":0,"log":".lightcone/logs/baseline/pl_fit.log"}
 * {"event":"summary","tasks":11,"counts":{"succeeded":11},"seconds":0.9,"failed":[],"interrupted":false}
 * </pre>
 */
final class JsonProgress extends Progress {
  JsonProgress(PrintWriter out, Path project, LongSupplier nanoTime) {
    super(out, project, nanoTime);
  }

  /** A line that is not an event of its own (none today) becomes a note. */
  @Override
  protected void print(List<String> lines) {
    for (String line : lines) {
      note(line);
    }
  }

  @Override
  synchronized void note(String line) {
    Json.line(
        out,
        g -> {
          g.writeStartObject();
          g.writeStringField("event", "note");
          g.writeStringField("message", line);
          g.writeEndObject();
        });
  }

  @Override
  public synchronized void executionStarted(int total, int toRun) {
    Json.line(
        out,
        g -> {
          g.writeStartObject();
          g.writeStringField("event", "plan");
          g.writeNumberField("tasks", total);
          g.writeNumberField("to_run", toRun);
          g.writeEndObject();
        });
  }

  @Override
  public synchronized void taskStarted(TaskId task, int attempt) {
    Json.line(
        out,
        g -> {
          g.writeStartObject();
          g.writeStringField("event", "start");
          task(g, task);
          g.writeNumberField("attempt", attempt);
          g.writeEndObject();
        });
  }

  @Override
  public synchronized void taskOutput(TaskId task, String line) {
    // The recipe's output is in its log; the events name the log.
  }

  @Override
  public synchronized void taskWarning(TaskId task, String warning) {
    Json.line(
        out,
        g -> {
          g.writeStartObject();
          g.writeStringField("event", "warning");
          task(g, task);
          g.writeStringField("message", warning);
          g.writeEndObject();
        });
  }

  @Override
  public synchronized void taskFinished(TaskResult r) {
    Json.line(
        out,
        g -> {
          g.writeStartObject();
          g.writeStringField("event", "end");
          task(g, r.task());
          g.writeStringField("outcome", r.outcome().word());
          g.writeNumberField("seconds", seconds(r.duration()));
          g.writeStringField("reason", r.detail());
          g.writeNumberField("attempts", r.attempts());
          if (r.exitCode().isPresent()) {
            g.writeNumberField("exit_code", r.exitCode().getAsInt());
          } else {
            g.writeNullField("exit_code");
          }
          Json.optionalString(g, "log", r.log());
          Json.stringArray(g, "warnings", r.warnings());
          g.writeEndObject();
        });
  }

  @Override
  synchronized void summary(ExecutionReport report, boolean interrupted) {
    Json.line(
        out,
        g -> {
          g.writeStartObject();
          g.writeStringField("event", "summary");
          g.writeNumberField("tasks", report.results().size());
          g.writeObjectFieldStart("counts");
          for (Map.Entry<TaskResult.Outcome, Integer> c : report.counts().entrySet()) {
            g.writeNumberField(c.getKey().word(), c.getValue());
          }
          g.writeEndObject();
          g.writeNumberField("seconds", seconds(report.elapsed()));
          g.writeArrayFieldStart("failed");
          for (TaskResult r : report.failures()) {
            g.writeStartObject();
            g.writeStringField("task", r.task().toString());
            g.writeStringField("reason", r.detail());
            g.writeEndObject();
          }
          g.writeEndArray();
          g.writeBooleanField("interrupted", interrupted);
          g.writeEndObject();
        });
  }

  private static void task(JsonGenerator g, TaskId task) throws IOException {
    g.writeStringField("task", task.toString());
    g.writeStringField("universe", task.universe().value());
    g.writeStringField("output", task.output().toString());
  }

  /** Seconds with millisecond precision. */
  private static double seconds(java.time.Duration d) {
    return Math.max(0, d.toMillis()) / 1000.0;
  }
}
