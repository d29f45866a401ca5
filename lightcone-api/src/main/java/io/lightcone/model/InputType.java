package io.lightcone.model;

import java.util.Locale;

/** The kind of an {@link Input}, written in lower case in {@code astra.yaml}. */
public enum InputType {
  /** A dataset, file or external resource. */
  DATA,
  /** Outputs of another ASTRA analysis. */
  ANALYSIS;

  /** The word used in {@code astra.yaml}. */
  public String yamlName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
