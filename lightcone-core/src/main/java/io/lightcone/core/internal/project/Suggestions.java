package io.lightcone.core.internal.project;

import java.util.Collection;

/** "Did you mean" hints for the other internal packages. */
public final class Suggestions {
  private Suggestions() {}

  /** {@code " (did you mean 'x'?)"}, or nothing. */
  public static String hint(String word, Collection<String> candidates) {
    return Suggest.hint(word, candidates);
  }
}
