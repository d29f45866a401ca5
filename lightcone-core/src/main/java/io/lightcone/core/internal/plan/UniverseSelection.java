package io.lightcone.core.internal.plan;

import io.lightcone.LightconeException;
import io.lightcone.core.internal.project.Tree;
import io.lightcone.model.ResolvedUniverse;
import io.lightcone.model.UniverseId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Picks the universes a command works on: all universe files, some by id, or the multiverse. */
public final class UniverseSelection {
  private UniverseSelection() {}

  public static List<ResolvedUniverse> select(
      List<ResolvedUniverse> declared, List<String> ids, boolean multiverse, Tree tree) {
    List<ResolvedUniverse> pool = multiverse ? Multiverse.enumerate(tree) : declared;
    if (ids.isEmpty()) {
      return pool;
    }
    Map<String, ResolvedUniverse> byId =
        pool.stream().collect(Collectors.toMap(u -> u.id().value(), Function.identity()));
    List<ResolvedUniverse> out = new ArrayList<>();
    for (String id : ids) {
      ResolvedUniverse u = byId.get(id);
      if (u == null) {
        throw new LightconeException(
            LightconeException.Kind.USER_INPUT,
            "no universe '"
                + id
                + "'"
                + (multiverse ? " in the multiverse" : " in universes/")
                + "; universes: "
                + (pool.isEmpty()
                    ? "(none — add universes/<id>.yaml, or use --multiverse)"
                    : String.join(
                        ", ",
                        pool.stream().map(ResolvedUniverse::id).map(UniverseId::value).toList())));
      }
      if (!out.contains(u)) {
        out.add(u);
      }
    }
    return out;
  }
}
