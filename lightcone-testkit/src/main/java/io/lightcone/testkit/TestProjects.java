package io.lightcone.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.stream.Stream;

/**
 * The project fixtures the tests of several modules share: writing and reading small projects, and
 * where the repository, its ASTRA conformance material and its sample projects are. A module's own
 * fixtures class may extend this one, so that its tests call every fixture by one name.
 */
public class TestProjects {
  /** Static helpers only; a module's own fixtures class may extend this one to add its own. */
  protected TestProjects() {}

  /** Writes {@code files} (relative path, content, alternating) under {@code dir}. */
  public static Path write(Path dir, String... files) {
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

  /** The text of {@code file}, in UTF-8. */
  public static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The reactor root: the nearest directory at or above the working directory whose {@code pom.xml}
   * is the lightcone parent (surefire runs tests in the module directory).
   */
  public static Path repositoryRoot() {
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
  public static Path conformance() {
    Path dir = repositoryRoot().resolve("conformance/astra");
    if (!Files.isDirectory(dir)) {
      throw new IllegalStateException(dir + " is missing: it is part of the repository");
    }
    return dir;
  }

  /** The sample project {@code samples/<name>} itself: read it, never run it in place. */
  public static Path sample(String name) {
    return repositoryRoot().resolve("samples").resolve(name);
  }

  /**
   * A copy of {@code samples/<name>} at {@code target}, without results of earlier runs: runs write
   * {@code results/} beside every {@code astra.yaml} (the project's and each {@code path:}
   * sub-analysis's), {@code .lightcone/} and {@code .snakemake/} into the project, and a copy must
   * not inherit them from a run of the README's first command on the same checkout.
   */
  public static Path copyOfSample(String name, Path target) {
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
}
