package io.lightcone.dask;

import io.lightcone.TaskId;
import io.lightcone.TaskResult;
import io.lightcone.event.ExecutionListener;
import java.util.ArrayList;
import java.util.List;

/** Keeps what an execution told its listener, in order; thread-safe. */
final class Recorder implements ExecutionListener {
  private final List<String> events = new ArrayList<>();

  @Override
  public synchronized void taskStarted(TaskId task, int attempt) {
    events.add("started " + task + " " + attempt);
  }

  @Override
  public synchronized void taskFinished(TaskResult result) {
    events.add("finished " + result.task() + " " + result.outcome().word());
  }

  synchronized List<String> events() {
    return List.copyOf(events);
  }

  synchronized long started() {
    return events.stream().filter(e -> e.startsWith("started ")).count();
  }
}
