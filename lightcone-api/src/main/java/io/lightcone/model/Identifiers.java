package io.lightcone.model;

import java.util.Set;
import java.util.regex.Pattern;

/**
 * The ASTRA identifier rules: entity ids are lower-case snake_case and may not be one of the
 * reserved category names that tree paths use ({@code decisions.<id>}, {@code <sub>.<id>}).
 *
 * <pre>{@code
 * Identifiers.isEntityId("fit_method"); // true
 * Identifiers.isReserved("options");    // true
 * }</pre>
 */
public final class Identifiers {
  /** Category names that would make tree-path references ambiguous. */
  public static final Set<String> RESERVED =
      Set.of(
          "inputs",
          "outputs",
          "decisions",
          "findings",
          "prior_insights",
          "analyses",
          "options",
          "content");

  private static final Pattern ENTITY = Pattern.compile("[a-z][a-z0-9_]*");
  private static final Pattern UNIVERSE = Pattern.compile("[a-z][a-z0-9_-]*");

  private Identifiers() {}

  /** Whether {@code s} has the form of an entity id, ignoring the reserved words. */
  public static boolean hasEntityForm(String s) {
    return ENTITY.matcher(s).matches();
  }

  public static boolean isReserved(String s) {
    return RESERVED.contains(s);
  }

  /** Whether {@code s} may name an input, output, decision, option, analysis, insight, evidence. */
  public static boolean isEntityId(String s) {
    return hasEntityForm(s) && !isReserved(s);
  }

  /** Whether {@code s} may name a universe (like an entity id, but {@code -} is allowed). */
  public static boolean isUniverseId(String s) {
    return UNIVERSE.matcher(s).matches();
  }

  static String requireEntityId(String s, String what) {
    if (s == null || !isEntityId(s)) {
      throw new IllegalArgumentException(
          "invalid " + what + " id '" + s + "': use lower-case snake_case, not a reserved word");
    }
    return s;
  }
}
