package io.lightcone.core.internal.project;

import io.lightcone.ValidationReport;
import io.lightcone.model.Analysis;
import io.lightcone.model.ResolvedUniverse;
import java.nio.file.Path;
import java.util.List;

/**
 * What loading a project gave: the model (when the files could be read far enough to build it), the
 * resolved universes and every problem found.
 *
 * @param analysis the root analysis; {@code null} only when the report has errors
 * @param analysisFiles the {@code astra.yaml} files read, for noticing edits during a run
 * @param universeFiles by universe id, the files its selections were read from
 * @param config {@code lightcone.yaml}, or its defaults
 */
public record LoadedProject(
    Path directory,
    Analysis analysis,
    List<ResolvedUniverse> universes,
    ValidationReport report,
    List<Path> analysisFiles,
    java.util.Map<String, List<Path>> universeFiles,
    LightconeConfig config) {
  public LoadedProject {
    universes = List.copyOf(universes);
    analysisFiles = List.copyOf(analysisFiles);
    universeFiles = java.util.Map.copyOf(universeFiles);
  }
}
