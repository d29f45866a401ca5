package io.lightcone.core.internal.project;

import io.lightcone.model.Identifiers;
import java.util.Locale;
import java.util.TreeSet;

/** Messages for ids that break the ASTRA rules. */
final class Ids {
  private Ids() {}

  static String explain(String raw, String kind) {
    if (Identifiers.isReserved(raw)) {
      return "'"
          + raw
          + "' cannot be a "
          + kind
          + " id: it is a reserved word that tree paths use (reserved: "
          + String.join(", ", new TreeSet<>(Identifiers.RESERVED))
          + "); rename it, e.g. '"
          + raw
          + "_"
          + kind.replace(' ', '_').replace("-", "_")
          + "'";
    }
    String suggestion =
        raw.toLowerCase(Locale.ROOT)
            .replaceAll("[^a-z0-9_]+", "_")
            .replaceAll("^[^a-z]+", "")
            .replaceAll("_+$", "");
    return "'"
        + raw
        + "' is not a valid "
        + kind
        + " id: use lower-case letters, digits and '_', starting with a letter"
        + (Identifiers.isEntityId(suggestion) ? " (e.g. '" + suggestion + "')" : "");
  }
}
