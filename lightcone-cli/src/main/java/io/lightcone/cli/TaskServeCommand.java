package io.lightcone.cli;

import io.lightcone.LightconeException;
import io.lightcone.TaskId;
import io.lightcone.TaskResult;
import io.lightcone.TaskResult.Outcome;
import io.lightcone.core.Project;
import io.lightcone.core.TaskProtocol;
import io.lightcone.core.TaskServer;
import io.lightcone.spi.CancellationSignal;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code lc task serve --project DIR [run options]}: the long-lived task runner. Loads the project
 * once, then runs the tasks it is asked to on stdin, one {@link TaskProtocol} request a line, and
 * answers each with one result line on stdout; tasks run at once, each cancelled on its own. Ends
 * when stdin ends (whoever started it is gone), cancelling what still runs.
 */
@Command(
    name = "serve",
    header = "Plumbing: a task runner that runs many tasks in one process (protocol lines).",
    synopsisHeading = "%nUsage: ",
    descriptionHeading = "%n",
    description = {
      "What a Dask worker keeps to run its tasks without starting a JVM for each. Reads one"
          + " JSON request a line on stdin ({\"protocol\": 1, \"op\": \"run\", \"id\": ...,"
          + " \"task\": ..., \"code_version\": ...} or {\"protocol\": 1, \"op\": \"cancel\","
          + " \"id\": ...}) and prints one JSON result line per run request on stdout, with the"
          + " request's id. Each task is checked against its code_version as by lc task run; the"
          + " project is reloaded when its files changed. Ends when stdin ends, cancelling the"
          + " tasks still running. Listens on nothing but its stdin."
    },
    optionListHeading = "%nOptions:%n")
final class TaskServeCommand implements Callable<Integer> {
  private final CliEnvironment environment;
  private final InputStream in;

  @Spec CommandSpec spec;

  @Mixin ProjectOption project;

  @Mixin TaskOptions options;

  private final Map<String, CancellationSignal> running = new ConcurrentHashMap<>();

  TaskServeCommand() {
    this(CliEnvironment.system(), System.in);
  }

  /** For tests: requests come from {@code in}; {@code environment} decides interrupts. */
  TaskServeCommand(CliEnvironment environment, InputStream in) {
    this.environment = environment;
    this.in = in;
  }

  @Override
  public Integer call() throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    ExecutorService pool =
        Executors.newCachedThreadPool(
            r -> {
              Thread t = new Thread(r, "lightcone-task");
              t.setDaemon(true);
              return t;
            });
    try (TaskServer server = Project.load(project.directory()).taskServer(options.runOptions());
        Interrupts.Handle hook = environment.interrupts().onInterrupt(this::cancelAll)) {
      BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        if (line.isBlank()) {
          continue;
        }
        TaskProtocol.Request request;
        try {
          request = TaskProtocol.decodeRequest(line);
        } catch (LightconeException e) {
          answer(out, TaskProtocol.error(Optional.empty(), e.getMessage()));
          continue;
        }
        if (request.op() == TaskProtocol.Op.CANCEL) {
          CancellationSignal signal = running.get(request.id());
          if (signal != null) {
            signal.cancel();
          }
          continue;
        }
        CancellationSignal signal = new CancellationSignal();
        if (running.putIfAbsent(request.id(), signal) != null) {
          answer(
              out,
              TaskProtocol.error(
                  Optional.of(request.id()), "request '" + request.id() + "' is already running"));
          continue;
        }
        pool.execute(() -> run(server, request, signal, out));
      }
      // Whoever started us is gone: nothing of theirs may go on running.
      cancelAll();
      pool.shutdown();
      try {
        pool.awaitTermination(RunCommand.INTERRUPT_GRACE_SECONDS, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    } finally {
      pool.shutdownNow();
    }
    return ExitCode.OK.code;
  }

  private void run(
      TaskServer server, TaskProtocol.Request request, CancellationSignal signal, PrintWriter out) {
    TaskId task = request.task().orElseThrow();
    TaskResult result;
    try {
      result = server.run(task, request.codeVersion().orElseThrow(), signal);
    } catch (LightconeException e) {
      result =
          new TaskResult(
              task,
              Outcome.FAILED,
              OptionalInt.empty(),
              e.getMessage(),
              Optional.empty(),
              Duration.ZERO,
              1,
              List.of());
    } catch (RuntimeException e) {
      result =
          new TaskResult(
              task,
              Outcome.FAILED,
              OptionalInt.empty(),
              "the task runner failed: " + e,
              Optional.empty(),
              Duration.ZERO,
              1,
              List.of());
    } finally {
      running.remove(request.id());
    }
    answer(out, TaskProtocol.answer(request.id(), result));
  }

  private void cancelAll() {
    running.values().forEach(CancellationSignal::cancel);
  }

  private static void answer(PrintWriter out, String line) {
    synchronized (out) {
      out.println(line);
      out.flush();
    }
  }
}
