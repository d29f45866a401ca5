package io.lightcone.core;

import io.lightcone.InvalidProjectException;
import io.lightcone.LightconeException;
import io.lightcone.Problem;
import io.lightcone.ValidationReport;
import io.lightcone.core.internal.project.LoadedProject;
import io.lightcone.core.internal.project.ProjectLoader;
import io.lightcone.model.Analysis;
import io.lightcone.model.ResolvedUniverse;
import io.lightcone.model.UniverseId;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * An ASTRA project: {@code astra.yaml}, its {@code path:} sub-analyses and {@code
 * universes/*.yaml}, loaded and validated. The entry point of the library.
 *
 * <pre>{@code
 * Project project = Project.load(Path.of("samples/period-luminosity"));
 * project.universes().forEach(u -> System.out.println(u.id() + " " + u.choices()));
 * }</pre>
 */
public final class Project {
  private final LoadedProject loaded;

  private Project(LoadedProject loaded) {
    this.loaded = loaded;
  }

  /**
   * Loads and validates the project in {@code directory}.
   *
   * @throws InvalidProjectException with every error found, when the project is invalid
   * @throws LightconeException of kind {@code ENVIRONMENT} when the directory cannot be read
   */
  public static Project load(Path directory) {
    LoadedProject loaded = ProjectLoader.load(Objects.requireNonNull(directory, "directory"));
    if (!loaded.report().isValid()) {
      throw new InvalidProjectException(loaded.report());
    }
    return new Project(loaded);
  }

  /**
   * Loads and validates the project in {@code directory} and returns every problem found, errors
   * and warnings; never throws for a problem in the project's files.
   *
   * @throws LightconeException of kind {@code ENVIRONMENT} when the directory cannot be read
   */
  public static ValidationReport validate(Path directory) {
    return ProjectLoader.load(Objects.requireNonNull(directory, "directory")).report();
  }

  /** The project directory, absolute and normalised. */
  public Path directory() {
    return loaded.directory();
  }

  /** The root analysis, with every sub-analysis (inline or {@code path:}) loaded into it. */
  public Analysis analysis() {
    return loaded.analysis();
  }

  /** The universes of {@code universes/*.yaml}, in id order, with defaults filled in. */
  public List<ResolvedUniverse> universes() {
    return loaded.universes();
  }

  /**
   * The universe with id {@code id}.
   *
   * @throws LightconeException of kind {@code USER_INPUT} naming the known universes when there is
   *     no such universe
   */
  public ResolvedUniverse universe(String id) {
    return loaded.universes().stream()
        .filter(u -> u.id().value().equals(id))
        .findFirst()
        .orElseThrow(
            () ->
                new LightconeException(
                    LightconeException.Kind.USER_INPUT,
                    "no universe '"
                        + id
                        + "' in "
                        + directory().resolve("universes")
                        + " (universes: "
                        + String.join(
                            ", ",
                            loaded.universes().stream()
                                .map(ResolvedUniverse::id)
                                .map(UniverseId::value)
                                .toList())
                        + ")"));
  }

  /** Warnings found while loading; they do not make the project invalid. */
  public List<Problem> warnings() {
    return loaded.report().warnings();
  }

  @Override
  public String toString() {
    Analysis a = analysis();
    return "Project "
        + a.id()
        + a.name().map(n -> " (" + n + ")").orElse("")
        + " at "
        + directory()
        + ": "
        + a.outputs().size()
        + " outputs, "
        + a.decisions().size()
        + " decisions, "
        + a.analyses().size()
        + " sub-analyses, "
        + universes().size()
        + " universes";
  }
}
