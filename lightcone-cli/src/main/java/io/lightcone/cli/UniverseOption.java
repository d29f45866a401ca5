package io.lightcone.cli;

import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * {@code -u/--universe U}, repeatable, shared by the commands that report on or export the
 * universes of a project: none given means every known universe ({@code Project.allUniverses()}).
 *
 * <pre>{@code @Mixin UniverseOption universes; ... project.status(universes.ids());}</pre>
 */
final class UniverseOption {
  @Option(
      names = {"-u", "--universe"},
      paramLabel = "U",
      description =
          "Only this universe: an id (universes/*.yaml, mv-...), a name, or choices"
              + " ('fit_method=ols,calibration.offset=none') (repeatable; default: every universe"
              + " file and every enumerated universe with results).")
  List<String> ids = new ArrayList<>();

  /** The universes named, in order; empty for all. */
  List<String> ids() {
    return ids;
  }
}
