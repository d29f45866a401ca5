package io.lightcone.core.internal.project;

/** How hermetically recipes run, as {@code sandbox:} in {@code lightcone.yaml} asks. */
public enum SandboxMode {
  /** Recipes run as they always did, without a sandbox. */
  OFF,
  /** The project is visible read-only; the task's staging output is writable. */
  ON,
  /** As {@link #ON}, and every project file but the declared inputs and code files is hidden. */
  STRICT
}
