package io.lightcone.dask;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A Dask cluster that is not ours: {@code dask scheduler} on loopback with a scheduler file, and
 * {@code dask worker}s with the resources a test gives, each in its own session.
 */
final class ExternalDask implements AutoCloseable {
  private final Process scheduler;
  private final String address;
  private final List<Process> workers = new ArrayList<>();
  private final List<String> names = new ArrayList<>();
  private final Path dir;

  private ExternalDask(Process scheduler, String address, Path dir) {
    this.scheduler = scheduler;
    this.address = address;
    this.dir = dir;
  }

  static ExternalDask start(Path dir) throws IOException {
    Path file = dir.resolve("scheduler.json");
    Process scheduler =
        start(
            dir,
            "scheduler",
            List.of(
                "/usr/bin/dask",
                "scheduler",
                "--host",
                "127.0.0.1",
                "--port",
                "0",
                "--no-dashboard",
                "--scheduler-file",
                file.toString()));
    if (!Procs.await(Duration.ofSeconds(60), () -> Files.isRegularFile(file) && size(file) > 0)) {
      scheduler.destroyForcibly();
      throw new IllegalStateException(
          "dask scheduler did not write " + file + ": " + log(dir, "scheduler"));
    }
    String json = Files.readString(file);
    String address = json.replaceAll("(?s).*\"address\":\\s*\"([^\"]+)\".*", "$1");
    return new ExternalDask(scheduler, address, dir);
  }

  /** Starts {@code dask worker NAME} with {@code threads} threads and {@code resources}. */
  ExternalDask worker(String name, int threads, String resources) throws IOException {
    names.add(name);
    workers.add(
        start(
            dir,
            name,
            List.of(
                "/usr/bin/dask",
                "worker",
                address,
                "--name",
                name,
                "--nthreads",
                String.valueOf(threads),
                "--resources",
                resources,
                "--no-nanny",
                "--no-dashboard",
                "--host",
                "127.0.0.1",
                "--death-timeout",
                "30")));
    return this;
  }

  /** Blocks until {@code n} workers have joined (bounded). */
  ExternalDask awaitWorkers(int n) throws IOException, InterruptedException {
    Process wait =
        new ProcessBuilder(
                "/usr/bin/python3",
                "-c",
                "import sys; from distributed import Client;"
                    + " c = Client(sys.argv[1], timeout=60); c.wait_for_workers("
                    + n
                    + ", timeout=60); c.close()",
                address)
            .redirectErrorStream(true)
            .start();
    String out = new String(wait.getInputStream().readAllBytes());
    if (!wait.waitFor(90, TimeUnit.SECONDS) || wait.exitValue() != 0) {
      throw new IllegalStateException("Dask workers did not join: " + out);
    }
    return this;
  }

  /** Kills worker {@code name} and its session with SIGKILL, as a node failure would. */
  void kill(String name) throws IOException, InterruptedException {
    Process p = workers.get(names.indexOf(name));
    new ProcessBuilder("kill", "-KILL", "--", "-" + p.pid()).start().waitFor();
    p.waitFor(10, TimeUnit.SECONDS);
  }

  /** Kills the scheduler with SIGKILL. */
  void killScheduler() throws IOException, InterruptedException {
    new ProcessBuilder("kill", "-KILL", "--", "-" + scheduler.pid()).start().waitFor();
    scheduler.waitFor(10, TimeUnit.SECONDS);
  }

  String address() {
    return address;
  }

  Process scheduler() {
    return scheduler;
  }

  private static Process start(Path dir, String name, List<String> command) throws IOException {
    List<String> argv = new ArrayList<>(List.of("/usr/bin/setsid"));
    argv.addAll(command);
    return new ProcessBuilder(argv)
        .redirectErrorStream(true)
        .redirectOutput(dir.resolve(name + ".log").toFile())
        .redirectInput(new File("/dev/null"))
        .start();
  }

  private static long size(Path file) {
    try {
      return Files.size(file);
    } catch (IOException e) {
      return 0;
    }
  }

  private static String log(Path dir, String name) {
    try {
      return Files.readString(dir.resolve(name + ".log"));
    } catch (IOException e) {
      return e.toString();
    }
  }

  @Override
  public void close() throws InterruptedException, IOException {
    List<Process> all = new ArrayList<>(workers);
    all.add(scheduler);
    for (Process p : all) {
      new ProcessBuilder("kill", "-KILL", "--", "-" + p.pid()).start().waitFor();
      p.waitFor(10, TimeUnit.SECONDS);
    }
  }
}
