package io.lightcone;

import io.lightcone.model.OutputType;
import io.lightcone.model.Resources;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.immutables.value.Value;

/**
 * One (output, universe): the self-contained unit every substrate runs. Everything the task runner
 * needs is here — the rendered command, where the output goes, what it reads, and the {@code
 * code_version} the planner computed.
 *
 * <pre>{@code
 * Task t = plan.task("baseline/fit");
 * t.command(); // python3 src/fit.py --method ols --out results/baseline/fit
 * }</pre>
 */
@Value.Immutable
@LightconeStyle
public interface Task {
  TaskId id();

  /** The id of the analysis that declares the output (the root's id for root outputs). */
  String analysisId();

  OutputType outputType();

  /** The output's ASTRA {@code format}: its file extension without the dot, when declared. */
  Optional<String> outputFormat();

  /** Project-relative POSIX path of the output directory. */
  String outputDir();

  /** The raw recipe template, as in {@code astra.yaml}. */
  String template();

  /** The template rendered for this universe, with {@code {output}} = {@link #outputDir()}. */
  String command();

  String codeVersion();

  /** The decisions the output declares, id as written → the option chosen in the universe. */
  Map<String, String> decisions();

  List<TaskInput> inputs();

  /** Tasks that must finish first, sorted. */
  List<TaskId> dependsOn();

  Optional<Resources> resources();

  /** The container declared for the recipe (recipe, else sub-analysis, else root), as written. */
  Optional<String> container();

  /** What {@code code_version} hashes as the image: a content tag, or the image name. */
  Optional<String> imageIdentity();

  /**
   * The code the recipe runs, project-relative and sorted: the project files its command names (not
   * its declared inputs and output) and those {@code lightcone.yaml}'s code globs match; a
   * directory ends in {@code /}. Their hashes are recorded in the manifest's {@code code_files}.
   */
  List<String> codeFiles();

  static Builder builder() {
    return new Builder();
  }

  /** Builds a {@link Task}. */
  final class Builder extends ImmutableTask.Builder {}
}
