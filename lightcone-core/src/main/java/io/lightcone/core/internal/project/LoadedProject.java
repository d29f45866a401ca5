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
 * @param files every file that was read, for noticing edits during a run
 */
public record LoadedProject(
    Path directory,
    Analysis analysis,
    List<ResolvedUniverse> universes,
    ValidationReport report,
    List<Path> files) {
  public LoadedProject {
    universes = List.copyOf(universes);
    files = List.copyOf(files);
  }
}
