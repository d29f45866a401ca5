package io.lightcone.spi;

import io.lightcone.Task;
import io.lightcone.TaskResult;
import io.lightcone.event.ExecutionListener;

/**
 * Runs one task through its whole lifecycle in this process (DESIGN §2): re-derive and check its
 * {@code code_version}, check its inputs, run the recipe in a staging directory, hash, write the
 * manifest and publish atomically. Provided by lightcone-core; every substrate runs tasks through
 * it, directly or through the plumbing command, so manifests are the same whoever runs them.
 *
 * <pre>{@code TaskResult r = context.runner().run(task, 1, cancellation, listener);}</pre>
 *
 * <p>MUST be safe to call from several threads for different tasks at once. Blocks until the task
 * ends. A failure is returned as a {@code FAILED} result, never thrown. On cancellation the
 * recipe's whole process tree is killed, nothing is published, and the result is {@code CANCELLED}.
 * The runner tells {@code listener} of the attempt's start, its output, its warnings, the moment
 * its recipe ended well ({@link ExecutionListener#resourcesReleased}, so a scheduler can start the
 * next task while this one publishes) and its end.
 */
public interface TaskRunner {
  TaskResult run(Task task, int attempt, Cancellation cancellation, ExecutionListener listener);
}
