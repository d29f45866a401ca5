package io.lightcone.core.internal.plan;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Small projects with decisions in the root and in a sub-analysis, for universe selection. */
final class SelectorProjects {
  private SelectorProjects() {}

  /**
   * {@code estimator} (mean, median), {@code scale} (linear, log) and {@code fit.method} (ols,
   * huber): eight universes; with a sub-analysis {@code check} and its own {@code method} too when
   * {@code clash}, so that a bare {@code method} is ambiguous.
   */
  static ProjectState forks(Path dir, boolean clash) {
    write(
        dir.resolve("astra.yaml"),
        """
        id: forks
        outputs:
          - id: summary
            type: data
            format: txt
            decisions: [estimator, scale]
            recipe:
              command: echo {decisions.estimator} > {output}/s.txt
        decisions:
          estimator:
            label: Estimator
            default: mean
            options:
              mean:
                label: Mean
              median:
                label: Median
          scale:
            label: Scale
            default: linear
            options:
              linear:
                label: Linear
              log:
                label: Log
              cubic:
                label: Cubic
                excluded: true
                excluded_reason: not meaningful here
        analyses:
          fit:
            id: fit
            outputs:
              - id: coef
                type: data
                format: txt
                decisions: [method]
                recipe:
                  command: echo {decisions.method} > {output}/c.txt
            decisions:
              method:
                label: Method
                default: ols
                options:
                  ols:
                    label: OLS
                  huber:
                    label: Huber
        %s
        """
            .formatted(
                clash
                    ? String.join(
                        "\n",
                        "  check:",
                        "    id: check",
                        "    outputs:",
                        "      - id: flag",
                        "        type: data",
                        "        decisions: [method]",
                        "        recipe:",
                        "          command: echo {decisions.method} > {output}/f.txt",
                        "    decisions:",
                        "      method:",
                        "        label: Check method",
                        "        default: quick",
                        "        options:",
                        "          quick:",
                        "            label: Quick",
                        "          full:",
                        "            label: Full")
                    : ""));
    return ProjectState.load(dir);
  }

  static ProjectState forks(Path dir) {
    return forks(dir, false);
  }

  private static void write(Path file, String text) {
    try {
      Files.createDirectories(file.getParent());
      Files.writeString(file, text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
