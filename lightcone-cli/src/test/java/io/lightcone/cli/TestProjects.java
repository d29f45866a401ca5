package io.lightcone.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.stream.Stream;

/** Where the repository, the shared ASTRA conformance material and the sample projects are. */
final class TestProjects {
  private TestProjects() {}

  /**
   * The reactor root: the nearest directory at or above the working directory whose {@code pom.xml}
   * is the lightcone parent (surefire runs tests in the module directory).
   */
  static Path repositoryRoot() {
    for (Path at = Path.of("").toAbsolutePath(); at != null; at = at.getParent()) {
      Path pom = at.resolve("pom.xml");
      if (Files.isRegularFile(pom) && isParentPom(read(pom))) {
        return at;
      }
    }
    throw new IllegalStateException(
        "no lightcone-parent pom.xml above " + Path.of("").toAbsolutePath());
  }

  // A module pom names lightcone-parent too, inside <parent>; only the parent has no <parent>.
  private static boolean isParentPom(String pom) {
    return pom.contains("<artifactId>lightcone-parent</artifactId>") && !pom.contains("<parent>");
  }

  /** The ASTRA conformance material kept in the repository, {@code conformance/astra}. */
  static Path conformance() {
    Path dir = repositoryRoot().resolve("conformance/astra");
    if (!Files.isDirectory(dir)) {
      throw new IllegalStateException(dir + " is missing: it is part of the repository");
    }
    return dir;
  }

  static Path sample(String name) {
    return repositoryRoot().resolve("samples").resolve(name);
  }

  /**
   * A copy of {@code samples/<name>} at {@code target}, without results of earlier runs: runs write
   * {@code results/} beside every {@code astra.yaml} (the project's and each {@code path:}
   * sub-analysis's), {@code .lightcone/} and {@code .snakemake/} into the project, and a copy must
   * not inherit them from a run of the README's first command on the same checkout.
   */
  static Path copyOfSample(String name, Path target) {
    Path source = sample(name);
    try (Stream<Path> files = Files.walk(source)) {
      for (Path file : files.toList()) {
        if (isRunState(source, file)) {
          continue;
        }
        Path rel = source.relativize(file);
        Path to = target.resolve(rel.toString());
        if (Files.isDirectory(file)) {
          Files.createDirectories(to);
        } else {
          Files.copy(file, to, StandardCopyOption.COPY_ATTRIBUTES);
        }
      }
      return target;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  // True for a file under results/ beside an astra.yaml, or under .lightcone/ or .snakemake/.
  private static boolean isRunState(Path source, Path file) {
    for (Path dir = file;
        dir != null && dir.startsWith(source) && !dir.equals(source);
        dir = dir.getParent()) {
      String name = dir.getFileName().toString();
      if (name.equals(".lightcone") || name.equals(".snakemake")) {
        return true;
      }
      if (name.equals("results") && Files.isRegularFile(dir.resolveSibling("astra.yaml"))) {
        return true;
      }
    }
    return false;
  }

  /** Replaces {@code from} by {@code to} in {@code file}, which must contain it. */
  static void edit(Path file, String from, String to) {
    String text = read(file);
    if (!text.contains(from)) {
      throw new IllegalArgumentException(file + " does not contain '" + from + "'");
    }
    write(file.getParent(), file.getFileName().toString(), text.replace(from, to));
  }

  /**
   * One output, one universe ({@code only}), whose recipe is {@code command}; a {@code data} output
   * so that no output check warns.
   */
  static Path oneTaskProject(Path dir, String command) {
    return write(
        dir,
        "astra.yaml",
        """
        id: one
        outputs:
          - id: answer
            type: data
            recipe:
              command: '%s'
        """
            .formatted(command.replace("'", "''")),
        "universes/only.yaml",
        "id: only\n");
  }

  /** Writes {@code files} (relative path, content, alternating) under {@code dir}. */
  static Path write(Path dir, String... files) {
    try {
      for (int i = 0; i < files.length; i += 2) {
        Path file = dir.resolve(files[i]);
        Files.createDirectories(file.getParent());
        Files.writeString(file, files[i + 1]);
      }
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A small valid project: one decision, one output, one universe. */
  static Path validProject(Path dir) {
    return write(
        dir,
        "astra.yaml",
        """
        id: tiny
        name: Tiny
        outputs:
          - id: answer
            type: metric
            decisions: [rounding]
            recipe:
              command: echo 42 > {output}/answer.txt
        decisions:
          rounding:
            label: Rounding
            default: none
            options:
              none:
                label: No rounding
              nearest:
                label: Round to nearest
        """,
        "universes/baseline.yaml",
        """
        id: baseline
        decisions:
          rounding: none
        """);
  }

  /** A project whose fourth line has an output type ASTRA does not know. */
  static Path invalidProject(Path dir) {
    return write(
        dir,
        "astra.yaml",
        """
        id: tiny
        outputs:
          - id: answer
            type: chart
            recipe:
              command: echo 42 > {output}/answer.txt
        """,
        "universes/baseline.yaml",
        "id: baseline\n");
  }
}
