package io.lightcone.core.internal.container;

import io.lightcone.LightconeException;
import io.lightcone.core.internal.hash.Fingerprint;
import io.lightcone.core.internal.hash.ImageTag;
import io.lightcone.core.internal.status.InputMemo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * What a declared {@code container:} stands for: the path of a Containerfile in the project
 * (relative to the directory of the {@code astra.yaml} that declares it), whose identity is its
 * content tag, or an image name, whose identity is the name as written. Each spec is resolved once
 * per loaded project. Thread-safe.
 */
public final class Images {
  private static final Pattern LOOKS_LIKE_A_FILE =
      Pattern.compile("(?i).*(containerfile|dockerfile).*");

  /**
   * A resolved container.
   *
   * @param spec as written in {@code astra.yaml}
   * @param containerfile the Containerfile, project-relative, when the spec names one
   * @param identity the content tag of the Containerfile's image, or the image name
   * @param context the build context of a Containerfile
   */
  public record Image(
      String spec,
      Optional<String> containerfile,
      String identity,
      Optional<BuildContext> context) {
    boolean built() {
      return containerfile.isPresent();
    }
  }

  private final Path project;
  private final String projectName;
  private final InputMemo memo;
  private final Map<List<String>, Image> resolved = new ConcurrentHashMap<>();

  /**
   * @param projectName the root analysis's name (else its id), which the tags start with
   * @param memo remembers each content tag with a stamp of its build context's files, so that a
   *     start does not read them all again (a COPY of a model or a data file can be large)
   */
  public Images(Path project, String projectName, InputMemo memo) {
    this.project = project.toAbsolutePath().normalize();
    this.projectName = projectName;
    this.memo = memo;
  }

  /**
   * The image {@code spec} stands for, declared in the {@code astra.yaml} of project-relative
   * directory {@code directory} ("" for the root).
   *
   * @throws LightconeException USER_INPUT for a Containerfile that is not there, ENVIRONMENT when
   *     one cannot be read
   */
  public Image resolve(String spec, String directory) {
    return resolved.computeIfAbsent(List.of(spec, directory), k -> compute(spec, directory));
  }

  private Image compute(String spec, String directory) {
    Path dir = directory.isEmpty() ? project : project.resolve(directory);
    String where = directory.isEmpty() ? "astra.yaml" : directory + "/astra.yaml";
    Path file = dir.resolve(spec).normalize();
    boolean inProject = file.startsWith(project) && !file.equals(project);
    if (inProject && Files.isRegularFile(file)) {
      String rel = BuildContext.relative(project, file);
      try {
        BuildContext context = BuildContext.of(project, rel);
        return new Image(spec, Optional.of(rel), tag(context), Optional.of(context));
      } catch (IOException e) {
        throw new LightconeException(
            LightconeException.Kind.ENVIRONMENT,
            "cannot read the files of the image built from " + rel + ": " + e,
            e);
      }
    }
    if (LOOKS_LIKE_A_FILE.matcher(spec).matches() || spec.startsWith("./")) {
      throw new LightconeException(
          LightconeException.Kind.USER_INPUT,
          where
              + ": container '"
              + spec
              + "' names no Containerfile in the project (looked for "
              + (inProject ? BuildContext.relative(project, file) : file)
              + "); write the path of a Containerfile relative to the directory of "
              + where
              + ", or an image name such as python:3.11-slim");
    }
    return new Image(spec, Optional.empty(), spec, Optional.empty());
  }

  /**
   * The content tag of {@code context}, remembered under what it depends on besides the files'
   * content (the project's name, each file's role and path), with a stamp of the files.
   */
  private String tag(BuildContext context) throws IOException {
    List<Path> files = new ArrayList<>();
    for (ImageTag.Part p : context.parts()) {
      files.add(project.resolve(p.path()));
    }
    String tag =
        memo.derived(
            "image " + Fingerprint.imageMemo(projectName, context.entries()),
            files,
            () -> context.tag(projectName, project));
    memo.flush();
    return tag;
  }
}
