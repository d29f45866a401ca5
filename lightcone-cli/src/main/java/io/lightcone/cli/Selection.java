package io.lightcone.cli;

import io.lightcone.PlanOptions;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * What {@code lc plan} and {@code lc run} select: universes, the multiverse, targets, and what to
 * force. Turned into {@link PlanOptions} as is; the library checks the ids.
 *
 * <pre>{@code @Mixin Selection selection; ... project.plan(selection.options());}</pre>
 */
final class Selection {
  @Option(
      names = {"-u", "--universe"},
      paramLabel = "U",
      description =
          "Only this universe (repeatable; default: every universes/*.yaml, or with --multiverse"
              + " every combination).")
  List<String> universes = new ArrayList<>();

  @Option(
      names = "--multiverse",
      description =
          "Plan every valid combination of options (ids mv-...) instead of the universe files.")
  boolean multiverse;

  @ArgGroup(exclusive = true, multiplicity = "0..1")
  Force force = new Force();

  @Parameters(
      paramLabel = "TARGET",
      arity = "0..*",
      description =
          "Outputs to make, by id or qualified id (calibration.zero_point), with everything they"
              + " need (default: every output).")
  List<String> targets = new ArrayList<>();

  /** {@code --force} and {@code --force-all} exclude each other. */
  static final class Force {
    @Option(
        names = "--force",
        description = "Run the targets (or every output) even when fresh, not their upstreams.")
    boolean targets;

    @Option(names = "--force-all", description = "Run every planned task even when fresh.")
    boolean all;
  }

  PlanOptions options() {
    Force f = force == null ? new Force() : force;
    return PlanOptions.builder()
        .addAllUniverses(universes)
        .multiverse(multiverse)
        .addAllTargets(targets)
        .force(f.targets)
        .forceAll(f.all)
        .build();
  }
}
