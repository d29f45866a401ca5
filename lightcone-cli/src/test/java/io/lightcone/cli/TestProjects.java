package io.lightcone.cli;

import java.nio.file.Path;

/**
 * The CLI tests' own project fixtures; the shared ones (writing, reading, the repository, the ASTRA
 * conformance material, copies of the samples) come from the test kit's {@link
 * io.lightcone.testkit.TestProjects}, which this class extends so that a test calls both by one
 * name.
 */
final class TestProjects extends io.lightcone.testkit.TestProjects {
  private TestProjects() {}

  /** Replaces {@code from} by {@code to} in {@code file}, which must contain it. */
  static void edit(Path file, String from, String to) {
    String text = read(file);
    if (!text.contains(from)) {
      throw new IllegalArgumentException(file + " does not contain '" + from + "'");
    }
    write(file.getParent(), file.getFileName().toString(), text.replace(from, to));
  }

  /**
   * One output, one universe ({@code only}), whose recipe is {@code command}; a {@code data} output
   * so that no output check warns.
   */
  static Path oneTaskProject(Path dir, String command) {
    return write(
        dir,
        "astra.yaml",
        """
        id: one
        outputs:
          - id: answer
            type: data
            recipe:
              command: '%s'
        """
            .formatted(command.replace("'", "''")),
        "universes/only.yaml",
        "id: only\n");
  }

  /** A small valid project: one decision, one output, one universe. */
  static Path validProject(Path dir) {
    return write(
        dir,
        "astra.yaml",
        """
        id: tiny
        name: Tiny
        outputs:
          - id: answer
            type: metric
            decisions: [rounding]
            recipe:
              command: echo 42 > {output}/answer.txt
        decisions:
          rounding:
            label: Rounding
            default: none
            options:
              none:
                label: No rounding
              nearest:
                label: Round to nearest
        """,
        "universes/baseline.yaml",
        """
        id: baseline
        decisions:
          rounding: none
        """);
  }

  /** A project whose fourth line has an output type ASTRA does not know. */
  static Path invalidProject(Path dir) {
    return write(
        dir,
        "astra.yaml",
        """
        id: tiny
        outputs:
          - id: answer
            type: chart
            recipe:
              command: echo 42 > {output}/answer.txt
        """,
        "universes/baseline.yaml",
        "id: baseline\n");
  }
}
