package io.lightcone.dask.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lightcone.core.TaskProtocol;
import java.util.List;

/**
 * How a task reaches a worker: its command ({@code "argv"}), and, when lightcone-core built it as
 * the plumbing command {@code lc task run}, the command of the worker's long-lived task runner
 * ({@code "serve"}, {@code lc task serve}) and the task's {@link TaskProtocol} request ({@code
 * "request"}). The worker then runs the task in its runner, started on its first such task and
 * ended with the worker, instead of starting a JVM per task.
 */
final class Runners {
  private Runners() {}

  static void describe(ObjectNode job, List<String> argv) {
    argv.forEach(job.putArray("argv")::add);
    TaskProtocol.served(argv)
        .ifPresent(
            s -> {
              s.serveCommand().forEach(job.putArray("serve")::add);
              job.put("request", s.request());
            });
  }
}
