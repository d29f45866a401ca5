package io.lightcone.cli;

import io.lightcone.core.TaskLauncher;

/** Tells lightcone-core that {@link Main} runs the plumbing commands (through ServiceLoader). */
public final class CliTaskLauncher implements TaskLauncher {
  @Override
  public Class<?> mainClass() {
    return Main.class;
  }
}
