package io.lightcone.core.internal.project;

import io.lightcone.model.AnalysisPath;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** Where each element of the bound model was written, for the semantic checks' messages. */
final class SourceIndex {
  /** The kinds of element the index knows. */
  enum Kind {
    ANALYSIS,
    INPUT,
    OUTPUT,
    DECISION,
    OPTION,
    INSIGHT,
    EVIDENCE
  }

  private record Key(AnalysisPath analysis, Kind kind, String id) {}

  private final Map<Key, Site> sites = new HashMap<>();

  void put(AnalysisPath analysis, Kind kind, String id, Site site) {
    sites.putIfAbsent(new Key(analysis, kind, id), site);
  }

  Optional<Site> find(AnalysisPath analysis, Kind kind, String id) {
    return Optional.ofNullable(sites.get(new Key(analysis, kind, id)));
  }

  /** The element's site; every bound element has one. */
  Site get(AnalysisPath analysis, Kind kind, String id) {
    return find(analysis, kind, id)
        .orElseThrow(
            () -> new IllegalStateException("no source for " + kind + " " + analysis + "/" + id));
  }
}
