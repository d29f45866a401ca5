package io.lightcone.core.internal.container;

import io.lightcone.LightconeException;
import io.lightcone.core.internal.Environment;
import io.lightcone.core.internal.yaml.Mark;
import io.lightcone.core.internal.yaml.YMap;
import io.lightcone.core.internal.yaml.YNode;
import io.lightcone.core.internal.yaml.YScalar;
import io.lightcone.core.internal.yaml.YSeq;
import io.lightcone.core.internal.yaml.YamlReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The {@code container:} section of the user's configuration, {@code ~/.lightcone/config.yaml} (or
 * the file {@code LIGHTCONE_CONFIG} names):
 *
 * <pre>
 * container:
 *   runtime: podman            # auto (default), podman-hpc, podman, docker, none, or a path
 *   run_options: [--network, none]   # added to every `run`, e.g. a site's --runtime/--ulimit
 *   build_options: []          # added to every `build`
 * </pre>
 *
 * @param file the file read, for messages ({@code ~/.lightcone/config.yaml} when absent)
 * @param runtime the runtime chosen, with where it was written
 */
record ContainerConfig(
    String file,
    Optional<String> runtime,
    Optional<Mark> runtimeAt,
    List<String> runOptions,
    List<String> buildOptions) {

  ContainerConfig {
    runOptions = List.copyOf(runOptions);
    buildOptions = List.copyOf(buildOptions);
  }

  /** The configuration file this environment points at: {@code LIGHTCONE_CONFIG}, else home's. */
  static Optional<Path> location(Environment environment) {
    return environment
        .variable("LIGHTCONE_CONFIG")
        .map(Path::of)
        .or(() -> environment.variable("HOME").map(h -> Path.of(h, ".lightcone", "config.yaml")));
  }

  /**
   * Reads the configuration; a missing file is an empty configuration.
   *
   * @throws LightconeException USER_INPUT naming the file, line and key of a bad value
   */
  static ContainerConfig read(Environment environment) {
    Optional<Path> location = location(environment);
    if (location.isEmpty() || !Files.isRegularFile(location.get())) {
      return new ContainerConfig(
          location.map(Path::toString).orElse("~/.lightcone/config.yaml"),
          Optional.empty(),
          Optional.empty(),
          List.of(),
          List.of());
    }
    Path file = location.get();
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (IOException e) {
      throw new LightconeException(
          LightconeException.Kind.ENVIRONMENT, "cannot read " + file + ": " + e.getMessage(), e);
    }
    return parse(file.toString(), bytes);
  }

  static ContainerConfig parse(String file, byte[] bytes) {
    YamlReader.Result r = YamlReader.read(file, bytes);
    if (!r.problems().isEmpty()) {
      throw bad(r.problems().get(0).mark(), r.problems().get(0).message());
    }
    Optional<String> runtime = Optional.empty();
    Optional<Mark> runtimeAt = Optional.empty();
    List<String> run = List.of();
    List<String> build = List.of();
    if (r.root().isPresent() && r.root().get() instanceof YMap root) {
      Optional<YNode> section = root.get("container");
      if (section.isPresent() && section.get() instanceof YMap c) {
        for (YMap.Entry e : c.entries()) {
          switch (e.name()) {
            case "runtime" -> {
              if (!(e.value() instanceof YScalar s) || s.isNull() || s.text().isBlank()) {
                throw bad(
                    e.value().mark(),
                    "'container.runtime' is "
                        + e.value().describe()
                        + "; write auto, podman-hpc, podman, docker, none or the path of one");
              }
              runtime = Optional.of(s.text().strip());
              runtimeAt = Optional.of(s.mark());
            }
            case "run_options" -> run = words(e);
            case "build_options" -> build = words(e);
            default ->
                throw bad(
                    e.key().mark(),
                    "unknown key 'container."
                        + e.name()
                        + "'; the keys are runtime, run_options and build_options");
          }
        }
      } else if (section.isPresent() && !(section.get() instanceof YScalar s && s.isNull())) {
        throw bad(section.get().mark(), "'container' must be a mapping (runtime, run_options)");
      }
    }
    return new ContainerConfig(file, runtime, runtimeAt, run, build);
  }

  private static List<String> words(YMap.Entry e) {
    List<String> out = new ArrayList<>();
    if (e.value() instanceof YSeq seq) {
      for (YNode n : seq.items()) {
        if (!(n instanceof YScalar s) || s.isNull()) {
          throw bad(
              n.mark(), "'container." + e.name() + "' holds " + n.describe() + "; list words");
        }
        out.add(s.text());
      }
      return out;
    }
    if (e.value() instanceof YScalar s && s.isNull()) {
      return out;
    }
    throw bad(
        e.value().mark(),
        "'container."
            + e.name()
            + "' is "
            + e.value().describe()
            + "; write a list of words, e.g. [--runtime, runc]");
  }

  private static LightconeException bad(Mark at, String message) {
    return new LightconeException(LightconeException.Kind.USER_INPUT, at + ": " + message);
  }
}
