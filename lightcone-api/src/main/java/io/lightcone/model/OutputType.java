package io.lightcone.model;

import java.util.Locale;

/** The kind of an {@link Output}, written in lower case in {@code astra.yaml}. */
public enum OutputType {
  METRIC,
  FIGURE,
  TABLE,
  DATA,
  REPORT;

  /** The word used in {@code astra.yaml}. */
  public String yamlName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
