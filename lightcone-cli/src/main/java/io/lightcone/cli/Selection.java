package io.lightcone.cli;

import io.lightcone.PlanOptions;
import io.lightcone.core.Project;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * What {@code lc plan} and {@code lc run} select: universes, the multiverse, targets, and what to
 * force. Turned into {@link PlanOptions} as is; the library checks the ids.
 *
 * <pre>{@code @Mixin Selection selection; ... project.plan(selection.options(project));}</pre>
 */
final class Selection {
  @Spec(Spec.Target.MIXEE)
  CommandSpec spec;

  @Option(
      names = {"-u", "--universe"},
      paramLabel = "U",
      description =
          "Only this universe, by id, name or choices ('fit_method=ols,calibration.offset=none')"
              + " (repeatable; default: every universes/*.yaml, or with --multiverse every"
              + " combination).")
  List<String> universes = new ArrayList<>();

  @Option(
      names = "--multiverse",
      description =
          "Plan every valid combination of options (ids mv-...) instead of the universe files.")
  boolean multiverse;

  @Option(
      names = "--sample",
      paramLabel = "N",
      description =
          "With --multiverse: only N universes of it, a random subset that --seed makes"
              + " reproducible on any machine.")
  Integer sample;

  @Option(
      names = "--seed",
      paramLabel = "S",
      defaultValue = "0",
      description = "The seed of --sample (default: ${DEFAULT-VALUE}).")
  long seed;

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

  /**
   * The options; a {@code --sample} that {@code project}'s multiverse cannot give is a usage error.
   */
  PlanOptions options(Project project) {
    if (sample != null) {
      if (!multiverse || !universes.isEmpty()) {
        throw new ParameterException(
            spec.commandLine(),
            "--sample draws from the whole multiverse: use it with --multiverse and without -u");
      }
      int size = project.multiverse().size();
      if (sample < 1 || sample > size) {
        throw new ParameterException(
            spec.commandLine(),
            "--sample "
                + sample
                + (sample < 1
                    ? " must be at least 1"
                    : " is larger than the multiverse, which has " + size + " universe(s)"));
      }
    }
    Force f = force == null ? new Force() : force;
    PlanOptions.Builder b = PlanOptions.builder();
    if (sample != null) {
      b.sample(sample).seed(seed);
    }
    return b.addAllUniverses(universes)
        .multiverse(multiverse)
        .addAllTargets(targets)
        .force(f.targets)
        .forceAll(f.all)
        .build();
  }
}
