package io.lightcone.core.internal.plan;

import io.lightcone.LightconeException;
import io.lightcone.core.internal.hash.Fingerprint;
import io.lightcone.core.internal.hash.Sha256;
import io.lightcone.core.internal.project.ChoiceResolver;
import io.lightcone.core.internal.project.Tree;
import io.lightcone.model.Decision;
import io.lightcone.model.Option;
import io.lightcone.model.OptionId;
import io.lightcone.model.QualifiedDecisionId;
import io.lightcone.model.ResolvedUniverse;
import io.lightcone.model.UniverseId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The full multiverse: every valid combination of options under the constraints, each once (two
 * combinations that differ only in decisions their {@code when} switches off are one universe). Ids
 * are {@code mv-} + 10 hex of SHA-256 over the choices, so a universe keeps its id when options are
 * added elsewhere.
 */
public final class Multiverse {
  /** Combinations examined before giving up; the multiverse is for exploring, not for 10^9. */
  static final long MAX_COMBINATIONS = 1_000_000;

  private Multiverse() {}

  static List<ResolvedUniverse> enumerate(Tree tree) {
    ChoiceResolver resolver = new ChoiceResolver(tree);
    List<QualifiedDecisionId> owners = resolver.owners();
    List<List<OptionId>> options = new ArrayList<>();
    long combinations = 1;
    for (QualifiedDecisionId d : owners) {
      Decision decision = tree.decision(d);
      List<OptionId> ids =
          decision.options().values().stream().filter(o -> !o.excluded()).map(Option::id).toList();
      options.add(ids);
      combinations = Math.multiplyExact(combinations, Math.max(1, ids.size()));
      if (combinations > MAX_COMBINATIONS) {
        throw new LightconeException(
            LightconeException.Kind.USER_INPUT,
            "the multiverse has more than "
                + MAX_COMBINATIONS
                + " option combinations ("
                + owners.size()
                + " decisions); choose universes with -u or universe files");
      }
    }
    Set<Map<QualifiedDecisionId, OptionId>> seen = new LinkedHashSet<>();
    List<ResolvedUniverse> out = new ArrayList<>();
    int[] index = new int[owners.size()];
    for (long n = 0; n < combinations; n++) {
      Map<QualifiedDecisionId, OptionId> explicit = new LinkedHashMap<>();
      for (int i = 0; i < owners.size(); i++) {
        if (!options.get(i).isEmpty()) {
          explicit.put(owners.get(i), options.get(i).get(index[i]));
        }
      }
      ChoiceResolver.Resolution r = resolver.resolve(explicit);
      if (r.isValid() && seen.add(r.choices())) {
        out.add(
            ResolvedUniverse.builder().id(idOf(r.choices())).putAllChoices(r.choices()).build());
      }
      for (int i = owners.size() - 1; i >= 0; i--) {
        if (++index[i] < Math.max(1, options.get(i).size())) {
          break;
        }
        index[i] = 0;
      }
    }
    return out;
  }

  /**
   * A reproducible random subset of {@code space}: the {@code n} universes whose rank {@code
   * sha256("lightcone-sample\0" + seed + "\0" + id)} (hex, compared as text; ties cannot happen
   * between distinct ids) is smallest, returned in {@code space} order. The rank of a universe
   * depends only on the seed and its own id, so the same {@code n} and {@code seed} pick the same
   * universes on any machine, and a universe added to the space does not reshuffle the others.
   *
   * @throws LightconeException of kind USER_INPUT when {@code n} is not between 1 and the size of
   *     the space
   */
  public static List<ResolvedUniverse> sample(List<ResolvedUniverse> space, int n, long seed) {
    if (n < 1 || n > space.size()) {
      throw new LightconeException(
          LightconeException.Kind.USER_INPUT,
          "--sample "
              + n
              + (n < 1
                  ? " must be at least 1"
                  : " is larger than the multiverse, which has "
                      + space.size()
                      + " universe(s); sample at most "
                      + space.size()
                      + " or run them all with --multiverse alone"));
    }
    Map<String, String> rank = new java.util.HashMap<>();
    for (ResolvedUniverse u : space) {
      rank.put(u.id().value(), Sha256.ofUtf8("lightcone-sample\0" + seed + "\0" + u.id().value()));
    }
    Set<String> chosen =
        new java.util.HashSet<>(
            space.stream()
                .map(u -> u.id().value())
                .sorted(
                    java.util.Comparator.comparing((String id) -> rank.get(id))
                        .thenComparing(java.util.Comparator.naturalOrder()))
                .limit(n)
                .toList());
    return space.stream().filter(u -> chosen.contains(u.id().value())).toList();
  }

  /**
   * {@code mv-} + the first 10 hex of {@code sha256(utf8(pairs))}, where {@code pairs} are the
   * {@code <qualified decision>=<option>} of every choice, sorted as strings and joined by {@code
   * \n}. A pure function of the choices: insertion order does not matter, and since decision and
   * option ids are {@code [a-z][a-z0-9_]*} (qualified ids add {@code .}), neither {@code =} nor
   * {@code \n} can occur inside a pair, so the framing is unambiguous. Fixed vectors in {@code
   * MultiverseTest}: results on disk are named by it, so it must never change.
   */
  static UniverseId idOf(Map<QualifiedDecisionId, OptionId> choices) {
    Map<String, String> pairs = new java.util.LinkedHashMap<>();
    choices.forEach((d, o) -> pairs.put(d.toString(), o.toString()));
    return UniverseId.of(Fingerprint.universeId(pairs));
  }
}
