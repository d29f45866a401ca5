package io.lightcone.core.internal.container;

import io.lightcone.LightconeException;
import io.lightcone.Task;
import io.lightcone.core.internal.Environment;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

/**
 * The task runner's side of containers: a recipe whose task declares a container runs inside its
 * image through the selected runtime; with no runtime it runs on the host, and the manifest says
 * so. The runtime is chosen lazily, once, on the first task that declares a container. Thread-safe.
 */
public final class ContainerTasks {
  /** Suffix of the records of running containers under {@code .lightcone/running/}. */
  static final String RECORD = ".container";

  private final Optional<String> requested;
  private final Supplier<ContainerRuntime.Selection> selection;
  private final Map<String, Boolean> present = new ConcurrentHashMap<>();

  /** Containers with the runtime {@code requested} ({@code --runtime}), else as configured. */
  public static ContainerTasks of(Optional<String> requested, Environment environment) {
    return new ContainerTasks(requested, () -> ContainerRuntime.select(requested, environment));
  }

  /**
   * Containers as {@code select} chooses them, asked at most once.
   *
   * @param requested the runtime asked for on the command line, passed on to plumbing commands
   */
  ContainerTasks(Optional<String> requested, Supplier<ContainerRuntime.Selection> select) {
    this.requested = requested;
    ContainerRuntime.Selection[] memo = new ContainerRuntime.Selection[1];
    this.selection =
        () -> {
          synchronized (memo) {
            if (memo[0] == null) {
              memo[0] = select.get();
            }
            return memo[0];
          }
        };
  }

  /** No runtime: every recipe runs on the host. */
  public static ContainerTasks none() {
    return new ContainerTasks(
        Optional.empty(),
        () -> new ContainerRuntime.Selection(Optional.empty(), "no runtime configured"));
  }

  /** The runtime asked for ({@code auto}, {@code none}, a name), if one was. */
  public Optional<String> requested() {
    return requested;
  }

  public ContainerRuntime.Selection selection() {
    return selection.get();
  }

  /**
   * How one attempt of a task runs.
   *
   * @param command the shell line to run (the recipe itself, or the runtime's {@code run})
   * @param runtime the manifest's {@code container_runtime}: the runtime's family, {@code none}
   *     when a declared container was not used; empty when the task declares none
   * @param container the running container's name and its record, to remove on cancellation
   */
  public record Launch(String command, Optional<String> runtime, Optional<Running> container) {}

  /** A container started for a task. */
  public record Running(ContainerRuntime runtime, String name, Path record) {
    /** Kills and removes the container; the caller then ends the runtime's client process. */
    public void remove() {
      runtime.remove(name);
    }

    /** Forgets the record once the task is over. */
    public void close() {
      try {
        Files.deleteIfExists(record);
      } catch (IOException e) {
        // The next run's clean-up removes a stale record; the container is gone (--rm).
      }
    }
  }

  /**
   * The launch of {@code task}, whose rendered recipe is {@code command}, in {@code project}.
   *
   * @throws LightconeException ENVIRONMENT when the image is not in the runtime's store
   */
  Launch launch(Task task, String command, Path project, Path runningDir) throws IOException {
    return launch(task, command, project, runningDir, ContainerRuntime.Mounts.open(true));
  }

  /**
   * {@link #launch(Task, String, Path, Path)}, the container seeing the project by {@code mounts}.
   */
  public Launch launch(
      Task task, String command, Path project, Path runningDir, ContainerRuntime.Mounts mounts)
      throws IOException {
    if (task.imageIdentity().isEmpty()) {
      return new Launch(command, Optional.empty(), Optional.empty());
    }
    ContainerRuntime.Selection s = selection();
    if (s.runtime().isEmpty()) {
      return new Launch(command, Optional.of("none"), Optional.empty());
    }
    ContainerRuntime runtime = s.runtime().get();
    String image = task.imageIdentity().get();
    if (!present.computeIfAbsent(image, runtime::present)) {
      present.remove(image); // ask again next time: it may have been built meanwhile
      throw new LightconeException(
          LightconeException.Kind.ENVIRONMENT,
          "image "
              + image
              + (image.equals(task.container().orElse(""))
                  ? " is not in " + runtime.family() + "'s store; run lc build to pull it"
                  : " (built from " + task.container().orElse("") + ") is not built; run lc build")
              + ", or lc run --runtime none to run the recipe outside it");
    }
    String name = name(task);
    Files.createDirectories(runningDir);
    Path record = runningDir.resolve(name + RECORD);
    Files.writeString(record, runtime.executable());
    String line =
        runtime.runLine(
            name, project.toAbsolutePath().normalize(), image, command, task.resources(), mounts);
    return new Launch(
        line, Optional.of(runtime.family()), Optional.of(new Running(runtime, name, record)));
  }

  /** {@code lc-<universe>-<output>-<8 random hex>}: readable in {@code ps}, unique per attempt. */
  static String name(Task task) {
    String readable =
        ("lc-" + task.id().universe().value() + "-" + task.id().output())
            .replaceAll("[^A-Za-z0-9_.-]", "_");
    if (readable.length() > 48) {
      readable = readable.substring(0, 48);
    }
    byte[] random = new byte[4];
    ThreadLocalRandom.current().nextBytes(random);
    return readable + "-" + HexFormat.of().formatHex(random);
  }

  /**
   * Removes the containers recorded in {@code runningDir} by a run that was killed outright; called
   * by the next run, which holds the project's lock.
   */
  public static void removeLeftovers(Path runningDir) throws IOException {
    if (!Files.isDirectory(runningDir)) {
      return;
    }
    try (var files = Files.newDirectoryStream(runningDir, "*" + RECORD)) {
      for (Path f : files) {
        String name = f.getFileName().toString();
        name = name.substring(0, name.length() - RECORD.length());
        String executable = Files.readString(f).strip();
        if (!executable.isEmpty()) {
          new ContainerRuntime("podman", executable, java.util.List.of(), java.util.List.of())
              .remove(name);
        }
        Files.deleteIfExists(f);
      }
    }
  }
}
