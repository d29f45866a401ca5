package io.lightcone.core.internal.sandbox;

import io.lightcone.LightconeException;
import io.lightcone.Manifest;
import io.lightcone.Task;
import io.lightcone.TaskInput;
import io.lightcone.core.SandboxMode;
import io.lightcone.core.internal.Environment;
import io.lightcone.core.internal.container.ContainerRuntime;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * How the recipes of a run are confined (see {@code docs/sandbox.md}): the mode the user asked for,
 * resolved once against what the machine allows. A recipe on the host runs in bubblewrap; a recipe
 * in a container gets the same rules through the container's mounts; with no sandbox, writes into
 * the project are looked for after the task. Thread-safe.
 */
public final class Sandboxing {
  /** What {@code lc run} and {@code lc status} say where bwrap is not installed. */
  static final String NOT_FOUND =
      "recipes run unsandboxed: bwrap not found (apt-get install bubblewrap)";

  private final SandboxMode requested;
  private final SandboxMode mode;
  private final boolean network;
  private final boolean fallback;
  private final Optional<String> bwrap;
  private final Optional<String> notice;
  private final CodePaths code;
  private final Environment environment;
  private final AtomicBoolean saidTooBig = new AtomicBoolean();

  private Sandboxing(
      SandboxMode requested,
      SandboxMode mode,
      boolean network,
      boolean fallback,
      Optional<String> bwrap,
      Optional<String> notice,
      CodePaths code,
      Environment environment) {
    this.requested = requested;
    this.mode = mode;
    this.network = network;
    this.fallback = fallback;
    this.bwrap = bwrap;
    this.notice = notice;
    this.code = code;
    this.environment = environment;
  }

  /** Recipes run as they are (tests, and callers that ask for nothing). */
  public static Sandboxing off() {
    return new Sandboxing(
        SandboxMode.OFF,
        SandboxMode.OFF,
        true,
        false,
        Optional.empty(),
        Optional.empty(),
        CodePaths.RECORDED,
        new Environment(java.util.Map.of(), java.time.Clock.systemUTC(), "", ""));
  }

  /**
   * {@code requested} as this machine allows it: without bwrap on {@code PATH}, recipes run
   * unsandboxed (and {@link #notice()} says so); with a bwrap that cannot create namespaces, they
   * run unsandboxed only when {@code fallback} allows it.
   *
   * @param code the code files a strict sandbox shows besides the declared inputs
   * @throws LightconeException ENVIRONMENT when bwrap cannot make a sandbox and {@code fallback} is
   *     false
   */
  public static Sandboxing resolve(
      SandboxMode requested,
      boolean network,
      boolean fallback,
      CodePaths code,
      Environment environment) {
    if (requested == SandboxMode.OFF) {
      return new Sandboxing(
          requested,
          requested,
          network,
          fallback,
          Optional.empty(),
          notOff(network),
          code,
          environment);
    }
    Optional<String> exe = onPath("bwrap", environment);
    if (exe.isEmpty()) {
      return new Sandboxing(
          requested,
          SandboxMode.OFF,
          network,
          fallback,
          Optional.empty(),
          Optional.of(NOT_FOUND + network(network)),
          code,
          environment);
    }
    Optional<String> refusal = Bubblewrap.refusal(exe.get());
    if (refusal.isPresent()) {
      String why = "bwrap cannot make a sandbox here (" + refusal.get() + ")";
      if (!fallback) {
        throw new LightconeException(
            LightconeException.Kind.ENVIRONMENT,
            why
                + "; allow unprivileged user namespaces (sysctl kernel.unprivileged_userns_clone=1"
                + " or user.max_user_namespaces), or run unsandboxed: --sandbox off, or"
                + " sandbox_fallback: true in lightcone.yaml");
      }
      return new Sandboxing(
          requested,
          SandboxMode.OFF,
          network,
          fallback,
          Optional.empty(),
          Optional.of("recipes run unsandboxed: " + why + network(network)),
          code,
          environment);
    }
    return new Sandboxing(
        requested, requested, network, fallback, exe, Optional.empty(), code, environment);
  }

  private static Optional<String> notOff(boolean network) {
    return network
        ? Optional.empty()
        : Optional.of(
            "--no-network is not enforced with --sandbox off: recipes can reach the" + " network");
  }

  private static String network(boolean network) {
    return network ? "" : "; --no-network is not enforced";
  }

  /** The one line to say once per command when recipes do not run as asked, if any. */
  public Optional<String> notice() {
    return notice;
  }

  /** The mode recipes on this host actually run in. */
  SandboxMode mode() {
    return mode;
  }

  /** The mode the user asked for, which plumbing commands pass on. */
  SandboxMode requested() {
    return requested;
  }

  boolean network() {
    return network;
  }

  /** Whether a bwrap that cannot make a sandbox may be run without. */
  boolean fallback() {
    return fallback;
  }

  /** The plumbing command's options that ask a task run in another process for the same. */
  public List<String> plumbingOptions() {
    List<String> out = new ArrayList<>(List.of("--sandbox", requested.word()));
    if (!network) {
      out.add("--no-network");
    }
    if (fallback) {
      out.add("--sandbox-fallback");
    }
    return out;
  }

  /**
   * The sandbox of one recipe, whose rendered command is {@code command}, writing into {@code
   * staging}.
   */
  public Prepared prepare(Task task, String command, Path project, Path staging) {
    Path root = project.toAbsolutePath().normalize();
    Optional<List<String>> visible = Optional.empty();
    if (mode == SandboxMode.STRICT || requested == SandboxMode.STRICT) {
      visible = Optional.of(visible(task, command, root, staging));
    }
    return new Prepared(
        task.id().output().toString(),
        root,
        staging.toAbsolutePath().normalize(),
        visible,
        external(task, root));
  }

  /**
   * Where the task's declared inputs really are when that is outside the project (an input given as
   * an absolute path, or a link to a file elsewhere): bound back read-only, since the private
   * {@code /tmp} and {@code HOME} would hide what is under them.
   */
  static List<Path> external(Task task, Path root) {
    List<Path> out = new ArrayList<>();
    Path realRoot;
    try {
      realRoot = root.toRealPath();
    } catch (IOException e) {
      return out;
    }
    for (TaskInput input : task.inputs()) {
      if (input.path().contains("://")) {
        continue;
      }
      try {
        Path real = root.resolve(input.path()).toRealPath();
        if (!real.startsWith(realRoot) && !out.contains(real)) {
          out.add(real);
        }
      } catch (IOException | InvalidPathException e) {
        // Missing: the task runner's input check names it.
      }
    }
    return out;
  }

  /**
   * The project paths a strict sandbox shows (relative, POSIX): declared inputs inside the project
   * (an upstream output's directory whole) and the code files.
   */
  List<String> visible(Task task, String command, Path root, Path staging) {
    Set<String> out = new LinkedHashSet<>();
    for (TaskInput input : task.inputs()) {
      inside(root, input.path()).ifPresent(out::add);
    }
    String stagingRel = root.relativize(staging.toAbsolutePath().normalize()).toString();
    for (String c : code.of(task, command, root)) {
      inside(root, c)
          .filter(r -> !r.equals(stagingRel) && !r.startsWith(stagingRel + "/"))
          .ifPresent(out::add);
    }
    return new ArrayList<>(out);
  }

  private static Optional<String> inside(Path root, String path) {
    if (path.contains("://")) {
      return Optional.empty();
    }
    try {
      Path p = root.resolve(path).normalize();
      if (!p.startsWith(root) || p.equals(root)) {
        return Optional.empty();
      }
      return Optional.of(root.relativize(p).toString().replace('\\', '/'));
    } catch (InvalidPathException e) {
      return Optional.empty();
    }
  }

  /** One recipe's sandbox. */
  public final class Prepared {
    private final String output;
    private final Path project;
    private final Path staging;
    private final Optional<List<String>> visible;
    private final List<Path> external;
    private boolean tooBig;

    Prepared(
        String output,
        Path project,
        Path staging,
        Optional<List<String>> visible,
        List<Path> external) {
      this.output = output;
      this.project = project;
      this.staging = staging;
      this.visible = visible;
      this.external = external;
    }

    /**
     * The command that runs {@code shell} with {@code /bin/sh -c} on the host: in bwrap when the
     * mode is on or strict, as it is when off.
     */
    public List<String> hostCommand(String shell) {
      List<String> argv = new ArrayList<>();
      if (bwrap.isPresent()) {
        argv.addAll(
            Bubblewrap.argv(
                bwrap.get(),
                project,
                staging,
                mode == SandboxMode.STRICT ? visible : Optional.empty(),
                network,
                environment.variable("HOME").map(Prepared::path).flatMap(o -> o),
                environment.variable("TMPDIR").map(Prepared::path).flatMap(o -> o),
                environment.variable("PATH").stream()
                    .flatMap(v -> java.util.Arrays.stream(v.split(":")))
                    .map(Prepared::path)
                    .flatMap(Optional::stream)
                    .toList(),
                external));
      }
      argv.addAll(List.of("/bin/sh", "-c", shell));
      return argv;
    }

    private static Optional<Path> path(String s) {
      try {
        return s.isEmpty() ? Optional.empty() : Optional.of(Path.of(s).normalize());
      } catch (InvalidPathException e) {
        return Optional.empty();
      }
    }

    /**
     * The same rules for a recipe in a container: the project read-only (strict: only what is
     * visible), the output writable, no network unless allowed. Whatever the machine's bwrap, since
     * the container runtime makes the mounts.
     */
    public ContainerRuntime.Mounts containerMounts() {
      if (requested == SandboxMode.OFF) {
        return ContainerRuntime.Mounts.open(network);
      }
      return new ContainerRuntime.Mounts(
          true,
          requested == SandboxMode.STRICT
              ? Optional.of(visible.orElse(List.of()).stream().map(project::resolve).toList())
              : Optional.empty(),
          List.of(staging),
          network);
    }

    /** What the manifest records of a recipe run on the host. */
    public Manifest.Sandbox onHost() {
      return bwrap.isPresent()
          ? new Manifest.Sandbox("bwrap", mode.word(), network)
          : new Manifest.Sandbox("none", SandboxMode.OFF.word(), true);
    }

    /** What the manifest records of a recipe run in a container of {@code runtime}'s family. */
    public Manifest.Sandbox inContainer(String runtime) {
      return new Manifest.Sandbox(runtime, requested.word(), network);
    }

    /**
     * Why a recipe that failed in a strict sandbox failed, when its log names project files it
     * could not see; empty otherwise.
     */
    public Optional<String> undeclaredReads(Path log, boolean strict) {
      if (!strict || visible.isEmpty()) {
        return Optional.empty();
      }
      List<String> hidden = UndeclaredReads.find(log, project, visible.get());
      if (hidden.isEmpty()) {
        return Optional.of(
            "the strict sandbox showed it only its declared inputs and the files its command"
                + " names; if it reads another project file, declare it as an input of "
                + output
                + " in astra.yaml, or as code in lightcone.yaml (code:)");
      }
      String files = String.join(", ", hidden);
      return Optional.of(
          "it tried to read "
              + files
              + ", which it does not declare, so the strict sandbox hid "
              + (hidden.size() == 1 ? "it" : "them")
              + ": declare "
              + (hidden.size() == 1 ? "it" : "them")
              + " as an input of "
              + output
              + " in astra.yaml (inputs:), or as code in lightcone.yaml (code: [\""
              + hidden.get(0)
              + "\"])");
    }

    /**
     * Unsandboxed, before the recipe: what the project holds, for {@link #writesOutside} to compare
     * with; empty when the recipe runs sandboxed (nothing to check) or the project is too big.
     */
    public Optional<Map<String, List<Long>>> beforeRecipe(Set<Path> outputs) {
      if (bwrap.isPresent()) {
        return Optional.empty();
      }
      try {
        Optional<Map<String, List<Long>>> s = ProjectWrites.snapshot(project, outputs);
        if (s.isEmpty() && saidTooBig.compareAndSet(false, true)) {
          tooBig = true;
        }
        return s;
      } catch (IOException e) {
        return Optional.empty();
      }
    }

    /**
     * Unsandboxed: a warning naming the project files the recipe changed outside the output, if
     * any, against {@code before}. A project too big to walk cheaply is not checked, and the first
     * task says so.
     */
    public Optional<String> writesOutside(
        Optional<Map<String, List<Long>>> before, Set<Path> outputs) {
      if (before.isEmpty()) {
        if (tooBig) {
          tooBig = false;
          return Optional.of(
              "writes outside the outputs are not checked: the project holds more than "
                  + ProjectWrites.MAX_ENTRIES
                  + " files (run with the sandbox on to refuse them)");
        }
        return Optional.empty();
      }
      try {
        Optional<Map<String, List<Long>>> after = ProjectWrites.snapshot(project, outputs);
        if (after.isEmpty()) {
          return Optional.empty();
        }
        List<String> changed = ProjectWrites.changed(before.get(), after.get());
        if (changed.isEmpty()) {
          return Optional.empty();
        }
        List<String> shown = changed.subList(0, Math.min(10, changed.size()));
        return Optional.of(
            "the recipe changed "
                + changed.size()
                + " file(s) in the project outside its output: "
                + String.join(", ", shown)
                + (changed.size() > shown.size() ? ", ..." : "")
                + "; a recipe writes only into {output} (a sandbox would have refused this)");
      } catch (IOException e) {
        return Optional.empty();
      }
    }
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
}
