package io.lightcone.cli;

import io.lightcone.LightconeException;
import io.lightcone.ProjectLockedException;
import java.util.LinkedHashMap;
import java.util.Map;

/** The exit codes of {@code lc} (DESIGN §8), listed in every command's {@code --help}. */
enum ExitCode {
  OK(0, "Success (for validate: the project is valid; warnings do not fail)."),
  FAILED(
      1,
      "A task failed or was skipped, an output failed verification, or another run holds the"
          + " project's lock."),
  USAGE(2, "Usage error: unknown command or option, or a bad argument."),
  INVALID(3, "Invalid project or input: fix the file, line and key named in the message."),
  ENVIRONMENT(4, "Environment: a tool, file or permission is missing or broken."),
  INTERNAL(70, "Internal error: a bug in lc; rerun with -v and report the stack trace."),
  INTERRUPTED(130, "Interrupted: Ctrl-C (SIGINT) or cancellation; cleaned up first."),
  /**
   * Not returned by a command: the JVM exits 128 + 15 after SIGTERM, once the same clean-up as for
   * Ctrl-C ran, as processes killed by SIGTERM do in every shell. Listed so that the rule is known.
   */
  TERMINATED(143, "Terminated by SIGTERM (kill, a scheduler's time limit); cleaned up first.");

  final int code;
  final String description;

  ExitCode(int code, String description) {
    this.code = code;
    this.description = description;
  }

  /**
   * The exit code of a failure: its kind's, except that a project busy with another run is a failed
   * run (1), not a mistake in the project — retrying later is what helps.
   */
  static ExitCode of(LightconeException failure) {
    if (failure instanceof ProjectLockedException) {
      return FAILED;
    }
    return of(failure.kind());
  }

  /** The single mapping from a failure's kind to the process exit code. */
  static ExitCode of(LightconeException.Kind kind) {
    return switch (kind) {
      case USER_INPUT -> INVALID;
      case ENVIRONMENT -> ENVIRONMENT;
      case INTEGRITY -> FAILED;
      case INTERRUPTED -> INTERRUPTED;
      case INTERNAL -> INTERNAL;
    };
  }

  /** Code to description, keys right-aligned so that picocli's help lines up. */
  static Map<String, String> helpList() {
    Map<String, String> list = new LinkedHashMap<>();
    for (ExitCode c : values()) {
      list.put(String.format(java.util.Locale.ROOT, "%3d", c.code), c.description);
    }
    return list;
  }
}
