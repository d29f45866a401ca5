package io.lightcone.core.internal.plan;

import io.lightcone.InvalidProjectException;
import io.lightcone.LightconeException;
import io.lightcone.Task;
import io.lightcone.TaskId;
import io.lightcone.core.internal.Environment;
import io.lightcone.core.internal.container.Images;
import io.lightcone.core.internal.project.LoadedProject;
import io.lightcone.core.internal.project.ProjectLoader;
import io.lightcone.core.internal.project.Tree;
import io.lightcone.core.internal.status.CommandContext;
import io.lightcone.model.ResolvedUniverse;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A valid loaded project with what is derived from it (tree, task deriver), and the size and mtime
 * of every file it was read from, so that a long run notices a spec edited under it.
 */
public final class ProjectState {
  private final LoadedProject loaded;
  private final Tree tree;
  private final TaskDeriver deriver;
  private final Map<Path, String> stamps;
  private final Map<String, List<Task>> tasks = new java.util.concurrent.ConcurrentHashMap<>();
  // Universes by id, built on first use (racing threads build equal maps; either one is fine).
  private volatile Map<String, ResolvedUniverse> universes;
  private volatile Map<String, ResolvedUniverse> multiverse;
  private final Map<String, Map<TaskId, Task>> taskIndex =
      new java.util.concurrent.ConcurrentHashMap<>();

  private final CommandContext context;

  private ProjectState(LoadedProject loaded, CommandContext context) {
    this.loaded = loaded;
    this.context = context;
    this.tree = new Tree(loaded.analysis());
    this.deriver =
        new TaskDeriver(
            tree,
            new Images(
                loaded.directory(),
                loaded.analysis().name().orElse(loaded.analysis().id().value()),
                context.memo()),
            Optional.of(loaded.directory()),
            loaded.config().codeFiles());
    this.stamps = new LinkedHashMap<>();
    loaded.analysisFiles().forEach(f -> stamps.put(f, stamp(f)));
    loaded.universeFiles().values().forEach(fs -> fs.forEach(f -> stamps.put(f, stamp(f))));
  }

  /**
   * @throws InvalidProjectException when the project has errors
   */
  static ProjectState load(Path directory) {
    return load(directory, Environment.system());
  }

  /**
   * Loads the project for one command in {@code environment}: the command's context (and its one
   * input memo) is made here, once.
   *
   * @throws InvalidProjectException when the project has errors
   */
  public static ProjectState load(Path directory, Environment environment) {
    LoadedProject loaded = ProjectLoader.load(directory);
    if (!loaded.report().isValid()) {
      throw new InvalidProjectException(loaded.report());
    }
    return new ProjectState(loaded, CommandContext.of(loaded.directory(), environment));
  }

  /** The context of the command this state was loaded for. */
  public CommandContext context() {
    return context;
  }

  public LoadedProject loaded() {
    return loaded;
  }

  public Path directory() {
    return loaded.directory();
  }

  public Tree tree() {
    return tree;
  }

  public TaskDeriver deriver() {
    return deriver;
  }

  /**
   * Whether a file that defines {@code universe}'s tasks changed since loading: an {@code
   * astra.yaml}, or the universe's own files (another universe's edits do not matter to it).
   */
  boolean changed(String universe) {
    for (Path f : loaded.analysisFiles()) {
      if (!Objects.equals(stamp(f), stamps.get(f))) {
        return true;
      }
    }
    for (Path f : loaded.universeFiles().getOrDefault(universe, List.of())) {
      if (!Objects.equals(stamp(f), stamps.get(f))) {
        return true;
      }
    }
    return false;
  }

  /** This state, or a fresh one when a file that defines {@code universe} changed. */
  public ProjectState current(String universe) {
    if (!changed(universe)) {
      return this;
    }
    LoadedProject reloaded = ProjectLoader.load(directory());
    if (!reloaded.report().isValid()) {
      throw new InvalidProjectException(reloaded.report());
    }
    return new ProjectState(reloaded, context); // the same command: the same context
  }

  /** The universe {@code id}: a universe file's, else one of the multiverse ({@code mv-...}). */
  public Optional<ResolvedUniverse> universe(String id) {
    Map<String, ResolvedUniverse> byId = universes;
    if (byId == null) {
      byId = new java.util.HashMap<>();
      for (ResolvedUniverse u : loaded.universes()) {
        byId.putIfAbsent(u.id().value(), u);
      }
      universes = byId;
    }
    ResolvedUniverse u = byId.get(id);
    if (u != null) {
      return Optional.of(u);
    }
    if (id.startsWith("mv-")) {
      Map<String, ResolvedUniverse> mv = multiverse;
      if (mv == null) {
        mv = new java.util.HashMap<>();
        for (ResolvedUniverse m : multiverse()) {
          mv.putIfAbsent(m.id().value(), m);
        }
        multiverse = mv;
      }
      return Optional.ofNullable(mv.get(id));
    }
    return Optional.empty();
  }

  private volatile List<ResolvedUniverse> enumerated;

  /** Every universe of the full multiverse ({@link Multiverse#enumerate}), enumerated once. */
  public List<ResolvedUniverse> multiverse() {
    List<ResolvedUniverse> all = enumerated;
    if (all == null) {
      all = Multiverse.enumerate(tree);
      enumerated = all;
    }
    return all;
  }

  /** The task {@code id} as the project defines it now. */
  public Task task(TaskId id) {
    ResolvedUniverse u =
        universe(id.universe().value())
            .orElseThrow(
                () ->
                    new LightconeException(
                        LightconeException.Kind.USER_INPUT,
                        "no universe '" + id.universe() + "' in " + directory()));
    return Optional.ofNullable(taskIndex(u).get(id))
        .orElseThrow(
            () ->
                new LightconeException(
                    LightconeException.Kind.USER_INPUT,
                    "no task '"
                        + id
                        + "': the output has no recipe, is not active in that"
                        + " universe, or does not exist"));
  }

  /** The tasks of {@code universe} by id, so that a run of n tasks looks each up in O(1). */
  private Map<TaskId, Task> taskIndex(ResolvedUniverse universe) {
    return taskIndex.computeIfAbsent(
        universe.id().value(),
        id -> {
          Map<TaskId, Task> index = new java.util.HashMap<>();
          tasks(universe).forEach(t -> index.put(t.id(), t));
          return index;
        });
  }

  /** The tasks of {@code universe}, derived once per loaded state. */
  public List<Task> tasks(ResolvedUniverse universe) {
    return tasks.computeIfAbsent(universe.id().value(), id -> deriver.derive(universe));
  }

  private static String stamp(Path file) {
    try {
      BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
      return a.size()
          + ":"
          + a.lastModifiedTime().to(java.util.concurrent.TimeUnit.NANOSECONDS)
          + ":"
          + a.fileKey();
    } catch (IOException e) {
      return "gone";
    }
  }
}
