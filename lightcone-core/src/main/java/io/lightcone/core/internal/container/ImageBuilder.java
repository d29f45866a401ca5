package io.lightcone.core.internal.container;

import io.lightcone.ImageBuild;
import io.lightcone.ImageBuild.Outcome;
import io.lightcone.LightconeException;
import io.lightcone.core.internal.project.Tree;
import io.lightcone.model.Analysis;
import io.lightcone.model.AnalysisPath;
import io.lightcone.model.Output;
import io.lightcone.model.Recipe;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Consumer;

/**
 * {@code lc build}: every image the recipes declare, made present in the runtime's store — a
 * Containerfile built under its content tag from a build context staged in a temporary directory
 * with exactly the files the tag hashes, an image name pulled — unless it is there already.
 */
public final class ImageBuilder {
  private final Path project;
  private final Tree tree;
  private final BiFunction<AnalysisPath, Recipe, Optional<Images.Image>> image;
  private final ContainerRuntime runtime;

  /**
   * @param image the image a recipe declared in an analysis runs in (the task deriver's)
   */
  public ImageBuilder(
      Path project,
      Tree tree,
      BiFunction<AnalysisPath, Recipe, Optional<Images.Image>> image,
      ContainerRuntime runtime) {
    this.project = project.toAbsolutePath().normalize();
    this.tree = tree;
    this.image = image;
    this.runtime = runtime;
  }

  /** The images recipes declare, each once, in declaration order. */
  List<Images.Image> images() {
    return images(tree, image);
  }

  /** The images the recipes of {@code tree} declare, each once, in declaration order. */
  public static List<Images.Image> images(
      Tree tree, BiFunction<AnalysisPath, Recipe, Optional<Images.Image>> image) {
    Map<String, Images.Image> images = new LinkedHashMap<>();
    tree.analyses()
        .forEach(
            (AnalysisPath at, Analysis a) -> {
              for (Output o : a.outputs()) {
                if (o.recipe().isPresent() && o.from().isEmpty()) {
                  image
                      .apply(at, o.recipe().get())
                      .ifPresent(i -> images.putIfAbsent(i.identity(), i));
                }
              }
            });
    return List.copyOf(images.values());
  }

  /**
   * Builds or pulls every image that is not present ({@code force}: every image, and builds without
   * the runtime's layer cache).
   *
   * @param output each line the runtime prints, as it prints it
   */
  public List<ImageBuild> build(boolean force, Consumer<String> output) {
    List<ImageBuild> results = new ArrayList<>();
    for (Images.Image image : images()) {
      Instant start = Instant.now();
      if (!force && runtime.present(image.identity())) {
        results.add(result(image, Outcome.PRESENT, "", Optional.empty(), start));
        continue;
      }
      if (image.built()) {
        BuildContext context = image.context().orElseThrow();
        if (!context.unmatched().isEmpty()) {
          Containerfile.Source s = context.unmatched().get(0);
          results.add(
              result(
                  image,
                  Outcome.FAILED,
                  context.containerfile()
                      + ":"
                      + s.line()
                      + ": COPY/ADD source '"
                      + s.path()
                      + "' matches no file in the project; sources are relative to the project"
                      + " directory, the build context",
                  Optional.empty(),
                  start));
          continue;
        }
      }
      String log =
          ".lightcone/logs/build/" + image.identity().replaceAll("[^A-Za-z0-9_.-]", "_") + ".log";
      try {
        int exit = image.built() ? build(image, force, log, output) : pull(image, log, output);
        results.add(
            exit == 0
                ? result(
                    image,
                    image.built() ? Outcome.BUILT : Outcome.PULLED,
                    "",
                    Optional.of(log),
                    start)
                : result(
                    image,
                    Outcome.FAILED,
                    runtime.family()
                        + (image.built() ? " build" : " pull")
                        + " exited with "
                        + exit
                        + " (log: "
                        + log
                        + ")",
                    Optional.of(log),
                    start));
      } catch (IOException e) {
        results.add(
            result(
                image,
                Outcome.FAILED,
                "could not " + (image.built() ? "build" : "pull") + ": " + e.getMessage(),
                Optional.empty(),
                start));
      }
    }
    return results;
  }

  private ImageBuild result(
      Images.Image image, Outcome outcome, String detail, Optional<String> log, Instant start) {
    return new ImageBuild(
        image.spec(),
        image.identity(),
        image.containerfile(),
        outcome,
        detail,
        log,
        Duration.between(start, Instant.now()));
  }

  private int build(Images.Image image, boolean force, String log, Consumer<String> output)
      throws IOException {
    BuildContext context = image.context().orElseThrow();
    Path stage = Files.createTempDirectory("lc-build-");
    try {
      for (String f : context.files()) {
        Path to = stage.resolve(f);
        Files.createDirectories(to.getParent());
        // The bytes that were hashed: links are copied as their targets' content.
        Files.copy(project.resolve(f), to, StandardCopyOption.REPLACE_EXISTING);
      }
      List<String> argv = new ArrayList<>(List.of(runtime.executable(), "build"));
      argv.addAll(runtime.buildOptions());
      if (force) {
        argv.add("--no-cache");
      }
      argv.addAll(
          List.of(
              "--label",
              "io.lightcone.containerfile=" + context.containerfile(),
              "-f",
              stage.resolve(context.containerfile()).toString(),
              "-t",
              image.identity(),
              stage.toString()));
      return stream(argv, log, output);
    } finally {
      delete(stage);
    }
  }

  private int pull(Images.Image image, String log, Consumer<String> output) throws IOException {
    return stream(List.of(runtime.executable(), "pull", image.identity()), log, output);
  }

  /** Runs {@code argv}, its output into the log and to {@code output}; the exit code. */
  private int stream(List<String> argv, String log, Consumer<String> output) throws IOException {
    Path logFile = project.resolve(log);
    Files.createDirectories(logFile.getParent());
    Process p =
        new ProcessBuilder(argv)
            .directory(project.toFile())
            .redirectErrorStream(true)
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
            .start();
    try (BufferedReader in =
            new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        BufferedWriter w = Files.newBufferedWriter(logFile, StandardCharsets.UTF_8)) {
      w.write("$ " + String.join(" ", argv));
      w.newLine();
      String line;
      while ((line = in.readLine()) != null) {
        w.write(line);
        w.newLine();
        output.accept(line);
      }
      return p.waitFor();
    } catch (InterruptedException e) {
      p.descendants().forEach(ProcessHandle::destroy);
      p.destroy();
      Thread.currentThread().interrupt();
      throw new LightconeException(
          LightconeException.Kind.INTERRUPTED, "interrupted while running " + argv.get(1), e);
    }
  }

  /** Deletes the staged build context (children before their directories). */
  private static void delete(Path stage) throws IOException {
    List<Path> paths;
    try (java.util.stream.Stream<Path> walk = Files.walk(stage)) {
      paths = walk.sorted(java.util.Comparator.reverseOrder()).toList();
    }
    for (Path p : paths) {
      Files.deleteIfExists(p);
    }
  }
}
