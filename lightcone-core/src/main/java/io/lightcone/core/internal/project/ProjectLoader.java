package io.lightcone.core.internal.project;

import io.lightcone.ValidationReport;
import io.lightcone.core.internal.yaml.Mark;
import io.lightcone.model.Analysis;
import io.lightcone.model.AnalysisPath;
import io.lightcone.model.ResolvedUniverse;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Loads a project directory in stages — read YAML, bind to the model against the schema, check
 * semantics, resolve universes — and collects every problem of a stage before stopping, so one run
 * reports them all. A later stage runs only when the earlier ones found no error, so a mistake is
 * reported once, where it was made, and not again as a broken reference.
 */
public final class ProjectLoader {
  /** Threads for reading universe files; loading is I/O and parsing, independent per file. */
  private static final int THREADS =
      Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));

  private ProjectLoader() {}

  public static LoadedProject load(Path directory) {
    return load(directory, AnalysisFiles.ASTRA_YAML);
  }

  /**
   * Loads the project in {@code directory} whose root analysis is the file {@code rootFile} rather
   * than {@code astra.yaml}: for checking standalone ASTRA documents.
   */
  static LoadedProject load(Path directory, String rootFile) {
    Path dir = directory.toAbsolutePath().normalize();
    Problems problems = new Problems();
    if (!Files.isDirectory(dir)) {
      problems.error(
          Mark.fileOnly(""),
          "",
          dir + " is not a directory; point to the folder that holds astra.yaml");
      return new LoadedProject(
          dir,
          null,
          List.of(),
          ValidationReport.of(problems.all()),
          List.of(),
          Map.of(),
          LightconeConfig.defaults());
    }
    Path real;
    try {
      real = dir.toRealPath();
    } catch (IOException e) {
      throw AnalysisFiles.unreadable(dir, e);
    }
    SourceIndex index = new SourceIndex();
    AnalysisFiles files = new AnalysisFiles(real, rootFile, problems);
    Optional<Analysis> analysis =
        files
            .readRoot()
            .flatMap(
                root ->
                    new AnalysisBinder(problems, index, files)
                        .bindFileRoot(
                            root.root(), AnalysisPath.ROOT, Optional.empty(), root.location()));
    List<ResolvedUniverse> universes = List.of();
    List<Path> analysisFiles = files.filesRead();
    Map<String, List<Path>> universeFiles = Map.of();
    if (analysis.isPresent() && !problems.hasErrors()) {
      Tree tree = new Tree(analysis.get());
      new SemanticValidator(tree, index, problems).run();
      if (!problems.hasErrors()) {
        Universes loader = new Universes(tree, files, problems, THREADS);
        universes = loader.loadAll();
        universeFiles = loader.filesByUniverse();
        loader.warnUnusedOptions(universes, index);
      }
    }
    // lightcone.yaml: only for a project (not a standalone document), after the spec's problems.
    LightconeConfig config =
        rootFile.equals(AnalysisFiles.ASTRA_YAML)
            ? LightconeConfig.load(real, problems)
            : LightconeConfig.defaults();
    ValidationReport report = ValidationReport.of(problems.all());
    return new LoadedProject(
        dir,
        report.isValid() ? analysis.orElse(null) : null,
        universes,
        report,
        analysisFiles,
        universeFiles,
        config);
  }

  /** Checks a standalone insight document (an ASTRA {@code Insight}). */
  static ValidationReport validateInsight(Path file) {
    Path abs = file.toAbsolutePath().normalize();
    Problems problems = new Problems();
    AnalysisFiles files =
        new AnalysisFiles(abs.getParent(), abs.getFileName().toString(), problems);
    files
        .read(abs, abs.getFileName().toString())
        .ifPresent(
            root -> new AnalysisBinder(problems, new SourceIndex(), files).bindInsightFile(root));
    return ValidationReport.of(problems.all());
  }
}
