package io.lightcone.core;

import io.lightcone.LightconeException;
import java.util.Locale;

/**
 * How hermetically recipes run (see {@code docs/sandbox.md}).
 *
 * <pre>{@code RunOptions.builder().sandbox(SandboxMode.STRICT).network(false).build()}</pre>
 */
public enum SandboxMode {
  /** Recipes run as they are, with the whole machine and project writable. */
  OFF,
  /**
   * The default where bubblewrap works: the file system read-only but for the task's output staging
   * directory, a private {@code /tmp} and {@code HOME}.
   */
  ON,
  /**
   * As {@link #ON}, and of the project only the declared inputs, the code files the command names
   * and the output are visible: an undeclared read fails.
   */
  STRICT;

  /** {@code on}, {@code strict} or {@code off}, as the manifest and the CLI write it. */
  public String word() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * The mode named {@code word} ({@code on}, {@code strict}, {@code off}; case-insensitive).
   *
   * @param where what gave the word, for the message (e.g. {@code --sandbox}, {@code
   *     lightcone.yaml: sandbox})
   * @throws LightconeException USER_INPUT naming the value and the choices
   */
  public static SandboxMode parse(String word, String where) {
    for (SandboxMode m : values()) {
      if (m.word().equalsIgnoreCase(word.strip())) {
        return m;
      }
    }
    throw new LightconeException(
        LightconeException.Kind.USER_INPUT,
        where + ": '" + word + "' is not a sandbox mode; choose on, strict or off");
  }
}
