package io.lightcone.cli;

import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * {@code -u/--universe U}, repeatable, shared by the commands that report on or export the
 * universes of a project: none given means every {@code universes/*.yaml}.
 *
 * <pre>{@code @Mixin UniverseOption universes; ... project.status(universes.ids());}</pre>
 */
final class UniverseOption {
  @Option(
      names = {"-u", "--universe"},
      paramLabel = "U",
      description = "Only this universe (repeatable; default: every universes/*.yaml).")
  List<String> ids = new ArrayList<>();

  /** The universes named, in order; empty for all. */
  List<String> ids() {
    return ids;
  }
}
