package io.lightcone.core.internal.container;

import io.lightcone.LightconeException;
import io.lightcone.core.internal.Environment;
import io.lightcone.core.internal.Shell;
import io.lightcone.model.Resources;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A container engine lightcone drives through its command line: podman-hpc, podman or docker (or a
 * compatible one named by path). The family decides the few flags that differ.
 *
 * @param family {@code podman-hpc}, {@code podman} or {@code docker} (from the executable's name;
 *     anything else is treated as podman)
 * @param executable what to run
 * @param runOptions added to every {@code run} (configuration: {@code container.run_options})
 * @param buildOptions added to every {@code build} (configuration: {@code container.build_options})
 */
public record ContainerRuntime(
    String family, String executable, List<String> runOptions, List<String> buildOptions) {
  /** The runtimes {@code auto} tries, in order. */
  static final List<String> AUTO = List.of("podman-hpc", "podman", "docker");

  static final long PROBE_SECONDS = 10;

  public ContainerRuntime {
    runOptions = List.copyOf(runOptions);
    buildOptions = List.copyOf(buildOptions);
  }

  /**
   * What was chosen: a runtime, or none and why (for the warning that recipes declaring a container
   * will run outside it).
   */
  public record Selection(Optional<ContainerRuntime> runtime, String why) {
    /** The name the manifest's {@code container_runtime} records: the family, or {@code none}. */
    String recorded() {
      return runtime.map(ContainerRuntime::family).orElse("none");
    }
  }

  /**
   * Chooses the runtime: {@code requested} (the {@code --runtime} option), else {@code
   * container.runtime} of the configuration, else {@code auto}: podman-hpc, podman, docker (only if
   * its daemon answers) — the first found on {@code PATH}.
   *
   * @throws LightconeException USER_INPUT for a bad configuration, ENVIRONMENT for a named runtime
   *     that is not installed
   */
  public static Selection select(Optional<String> requested, Environment environment) {
    ContainerConfig config = ContainerConfig.read(environment);
    String choice;
    String from;
    if (requested.isPresent()) {
      choice = requested.get().strip();
      from = "--runtime " + choice;
    } else if (config.runtime().isPresent()) {
      choice = config.runtime().get();
      from = "container.runtime: " + choice + " (" + config.runtimeAt().orElseThrow() + ")";
    } else {
      choice = "auto";
      from = "auto";
    }
    switch (choice) {
      case "none":
        return new Selection(Optional.empty(), from);
      case "auto":
        for (String name : AUTO) {
          Optional<String> exe = onPath(name, environment);
          if (exe.isPresent() && (!name.equals("docker") || answers(exe.get()))) {
            return found(name, exe.get(), config);
          }
        }
        return new Selection(
            Optional.empty(),
            "no container runtime found: auto looked for podman-hpc, podman and docker (with a"
                + " daemon that answers) on PATH");
      default:
        Optional<String> exe =
            choice.contains("/")
                ? Optional.of(choice).filter(c -> Files.isExecutable(Path.of(c)))
                : onPath(choice, environment);
        if (exe.isEmpty()) {
          throw new LightconeException(
              LightconeException.Kind.ENVIRONMENT,
              "container runtime '"
                  + choice
                  + "' ("
                  + from
                  + ") is not installed or not executable; install it (Debian: apt-get install"
                  + " podman runc), or choose auto, podman-hpc, podman, docker or none");
        }
        return found(Path.of(choice).getFileName().toString(), exe.get(), config);
    }
  }

  private static Selection found(String name, String exe, ContainerConfig config) {
    String family = AUTO.contains(name) ? name : "podman";
    return new Selection(
        Optional.of(new ContainerRuntime(family, exe, config.runOptions(), config.buildOptions())),
        family);
  }

  static Optional<String> onPath(String name, Environment environment) {
    for (String dir : environment.variable("PATH").orElse("/usr/bin:/bin").split(":")) {
      if (!dir.isEmpty()) {
        Path p = Path.of(dir, name);
        if (Files.isRegularFile(p) && Files.isExecutable(p)) {
          return Optional.of(p.toString());
        }
      }
    }
    return Optional.empty();
  }

  /** Whether {@code docker info} answers: a docker client without a daemon cannot run anything. */
  private static boolean answers(String exe) {
    return quietly(List.of(exe, "info"), PROBE_SECONDS).exitCode() == 0;
  }

  /**
   * The command line that runs {@code recipe} in {@code image}: the project mounted at its own path
   * and the working directory, so every path the recipe was rendered with means the same inside;
   * {@code --pull=never}, since images come from {@code lc build}; {@code --rm} and a name, so a
   * cancelled task's container can be found and removed.
   */
  List<String> runCommand(
      String name, Path project, String image, String recipe, Optional<Resources> resources) {
    return runCommand(name, project, image, recipe, resources, Mounts.open(true));
  }

  /**
   * What a container sees of the project (the sandbox's rules through the container's mounts).
   *
   * @param projectReadOnly mount the project read-only
   * @param visible when present (strict), mount only these paths of the project, read-only
   * @param writable mounted writable over the project's mount (the output's staging directory)
   * @param network false: {@code --network=none}
   */
  public record Mounts(
      boolean projectReadOnly, Optional<List<Path>> visible, List<Path> writable, boolean network) {
    public Mounts {
      visible = visible.map(List::copyOf);
      writable = List.copyOf(writable);
    }

    /** The project mounted writable, as without a sandbox. */
    public static Mounts open(boolean network) {
      return new Mounts(false, Optional.empty(), List.of(), network);
    }
  }

  /** {@link #runCommand(String, Path, String, String, Optional)} with {@code mounts}. */
  List<String> runCommand(
      String name,
      Path project,
      String image,
      String recipe,
      Optional<Resources> resources,
      Mounts mounts) {
    List<String> argv = new ArrayList<>(List.of(executable, "run", "--rm", "--pull=never"));
    argv.add("--name=" + name);
    if (family.equals("docker")) {
      // Docker runs as root unless told: outputs would belong to root. Run as the project's owner.
      owner(project).ifPresent(o -> argv.add("--user=" + o));
    }
    argv.addAll(runOptions);
    resources.ifPresent(r -> argv.addAll(resourceFlags(r)));
    if (!mounts.network()) {
      argv.add("--network=none");
    }
    String dir = project.toString();
    if (mounts.visible().isEmpty()) {
      argv.addAll(List.of("-v", dir + ":" + dir + (mounts.projectReadOnly() ? ":ro" : "")));
    } else {
      // An empty, read-only project: writes are refused, as in bwrap; the visible paths go on it.
      argv.addAll(List.of("--mount", "type=tmpfs,destination=" + dir + ",ro=true"));
      for (Path v : mounts.visible().get()) {
        if (Files.exists(v)) {
          argv.addAll(List.of("-v", v + ":" + v + ":ro"));
        }
      }
    }
    for (Path w : mounts.writable()) {
      argv.addAll(List.of("-v", w + ":" + w));
    }
    argv.addAll(List.of("-w", dir, image, "sh", "-c", recipe));
    return argv;
  }

  /** {@code uid:gid} of the project directory, where the file system tells. */
  static Optional<String> owner(Path project) {
    try {
      return Optional.of(
          Files.getAttribute(project, "unix:uid") + ":" + Files.getAttribute(project, "unix:gid"));
    } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  /** {@link #runCommand} as one POSIX shell line, every word quoted as needed. */
  String runLine(
      String name, Path project, String image, String recipe, Optional<Resources> resources) {
    return runLine(name, project, image, recipe, resources, Mounts.open(true));
  }

  /** {@link #runCommand(String, Path, String, String, Optional, Mounts)} as one shell line. */
  String runLine(
      String name,
      Path project,
      String image,
      String recipe,
      Optional<Resources> resources,
      Mounts mounts) {
    List<String> words = new ArrayList<>();
    for (String w : runCommand(name, project, image, recipe, resources, mounts)) {
      words.add(Shell.quote(w));
    }
    return String.join(" ", words);
  }

  /**
   * Resource limits where the runtime takes them: cpus and memory everywhere; gpus as docker's
   * {@code --gpus} and podman-hpc's {@code --gpu} (plain podman has no count flag). The time limit
   * is the task runner's own; disk has no flag.
   */
  List<String> resourceFlags(Resources r) {
    List<String> flags = new ArrayList<>();
    r.cpus().ifPresent(c -> flags.add("--cpus=" + format(c)));
    r.memoryBytes().ifPresent(m -> flags.add("--memory=" + m));
    if (r.gpus().isPresent() && r.gpus().getAsInt() > 0) {
      if (family.equals("docker")) {
        flags.add("--gpus=" + r.gpus().getAsInt());
      } else if (family.equals("podman-hpc")) {
        flags.add("--gpu");
      }
    }
    return flags;
  }

  private static String format(double cpus) {
    return cpus == Math.rint(cpus)
        ? Long.toString((long) cpus)
        : String.format(Locale.ROOT, "%s", cpus);
  }

  /** Whether {@code image} is in the runtime's local store. */
  boolean present(String image) {
    return quietly(List.of(executable, "image", "inspect", image), PROBE_SECONDS).exitCode() == 0;
  }

  /** Kills and removes the container {@code name}, if it is still there (cancellation). */
  void remove(String name) {
    quietly(List.of(executable, "kill", name), PROBE_SECONDS);
    quietly(List.of(executable, "rm", "-f", name), PROBE_SECONDS);
  }

  /** What a short command printed (stdout and stderr together) and how it ended. */
  record Outcome(int exitCode, String output) {}

  static Outcome quietly(List<String> argv, long seconds) {
    try {
      Process p =
          new ProcessBuilder(argv)
              .redirectErrorStream(true)
              .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
              .start();
      // Read on another thread: a runtime that hangs (a docker daemon that does not answer) must
      // not hang lc past the time-out.
      java.util.concurrent.CompletableFuture<byte[]> out =
          java.util.concurrent.CompletableFuture.supplyAsync(
              () -> {
                try {
                  return p.getInputStream().readAllBytes();
                } catch (IOException e) {
                  return new byte[0];
                }
              },
              r -> {
                Thread t = new Thread(r, "lightcone-container-probe");
                t.setDaemon(true);
                t.start();
              });
      if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        return new Outcome(-1, String.join(" ", argv) + " timed out after " + seconds + " s");
      }
      return new Outcome(p.exitValue(), new String(out.join(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      return new Outcome(-1, e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Outcome(-1, "interrupted");
    }
  }
}
