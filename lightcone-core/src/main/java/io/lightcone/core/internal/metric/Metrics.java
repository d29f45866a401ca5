package io.lightcone.core.internal.metric;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lightcone.LightconeException;
import io.lightcone.LightconeException.Kind;
import io.lightcone.Task;
import io.lightcone.core.internal.manifest.ManifestStore;
import io.lightcone.core.internal.plan.ProjectState;
import io.lightcone.model.QualifiedOutputId;
import io.lightcone.model.ResolvedUniverse;
import io.lightcone.model.UniverseId;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Reads metric outputs back for analysis: the one JSON file of an output's directory, parsed into
 * plain Java maps, lists, strings, numbers and booleans so the API stays free of Jackson.
 */
public final class Metrics {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path project;
  private final ProjectState state;

  public Metrics(Path project, ProjectState state) {
    this.project = project;
    this.state = state;
  }

  /**
   * Each universe's JSON object of {@code output}, in universe order. Universes where the output is
   * not active are left out; a universe where it was never made is an error.
   */
  public Map<UniverseId, Map<String, Object>> read(
      QualifiedOutputId output, List<ResolvedUniverse> universes) {
    Map<UniverseId, Map<String, Object>> values = new LinkedHashMap<>();
    for (ResolvedUniverse u : universes) {
      Optional<Task> task =
          state.tasks(u).stream().filter(t -> t.id().output().equals(output)).findFirst();
      if (task.isPresent()) {
        values.put(u.id(), read(task.get()));
      }
    }
    if (values.isEmpty()) {
      throw new LightconeException(
          Kind.USER_INPUT,
          "output '"
              + output
              + "' has no recipe in any of the universes "
              + universes.stream().map(u -> u.id().value()).toList()
              + "; metric() reads outputs that a task makes");
    }
    return Collections.unmodifiableMap(values);
  }

  /**
   * The number at {@code field} (dots go into nested objects) of each universe's {@code output}.
   */
  public Map<UniverseId, Double> number(
      QualifiedOutputId output, String field, List<ResolvedUniverse> universes) {
    Map<UniverseId, Double> numbers = new LinkedHashMap<>();
    for (Map.Entry<UniverseId, Map<String, Object>> e : read(output, universes).entrySet()) {
      Object value = e.getValue();
      String at = "";
      for (String key : field.split("\\.", -1)) {
        if (!(value instanceof Map<?, ?> object) || !object.containsKey(key)) {
          throw new LightconeException(
              Kind.USER_INPUT,
              "output '"
                  + output
                  + "' of universe '"
                  + e.getKey().value()
                  + "' has no field '"
                  + field
                  + "'"
                  + (value instanceof Map<?, ?> object
                      ? " (fields"
                          + (at.isEmpty() ? "" : " of " + at)
                          + ": "
                          + object.keySet()
                          + ")"
                      : " (" + at + " is not an object)"));
        }
        value = object.get(key);
        at = at.isEmpty() ? key : at + "." + key;
      }
      if (!(value instanceof Number n)) {
        throw new LightconeException(
            Kind.USER_INPUT,
            "field '"
                + field
                + "' of output '"
                + output
                + "' in universe '"
                + e.getKey().value()
                + "' is not a number: "
                + value);
      }
      numbers.put(e.getKey(), n.doubleValue());
    }
    return Collections.unmodifiableMap(numbers);
  }

  private Map<String, Object> read(Task task) {
    Path dir = project.resolve(task.outputDir());
    ManifestStore.Read manifest = ManifestStore.read(dir);
    if (manifest instanceof ManifestStore.Missing) {
      throw new LightconeException(
          Kind.USER_INPUT,
          task.id()
              + " has not been made ("
              + task.outputDir()
              + " has no manifest); run the plan first:"
              + " project.plan().execute(LocalSubstrate.create())");
    }
    if (manifest instanceof ManifestStore.Invalid invalid) {
      throw new LightconeException(
          Kind.INTEGRITY,
          task.id() + ": unreadable manifest in " + task.outputDir() + ": " + invalid.reason());
    }
    List<Path> json = jsonFiles(dir);
    if (json.size() != 1) {
      throw new LightconeException(
          Kind.USER_INPUT,
          task.id()
              + ": a metric output holds exactly one .json file, "
              + task.outputDir()
              + " holds "
              + (json.isEmpty()
                  ? "none"
                  : json.stream().map(f -> f.getFileName().toString()).toList()));
    }
    Path file = json.get(0);
    Object parsed;
    try {
      parsed = JSON.readValue(file.toFile(), Object.class);
    } catch (JacksonException e) {
      throw new LightconeException(
          Kind.USER_INPUT,
          project.relativize(file) + " is not valid JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new LightconeException(Kind.ENVIRONMENT, "cannot read " + file + ": " + e.getMessage());
    }
    if (!(parsed instanceof Map<?, ?> object)) {
      throw new LightconeException(
          Kind.USER_INPUT, project.relativize(file) + " holds no JSON object at its top");
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> map = (Map<String, Object>) object;
    return Collections.unmodifiableMap(map);
  }

  /** The {@code .json} files of a metric output's directory (not its manifest), sorted. */
  static List<Path> jsonFiles(Path dir) {
    List<Path> json;
    try (Stream<Path> files = Files.list(dir)) {
      json =
          files
              .filter(f -> f.getFileName().toString().endsWith(".json"))
              .filter(f -> !f.getFileName().toString().equals(ManifestStore.FILE))
              .filter(Files::isRegularFile)
              .sorted()
              .toList();
    } catch (IOException e) {
      throw new LightconeException(Kind.ENVIRONMENT, "cannot list " + dir + ": " + e.getMessage());
    }
    return json;
  }
}
