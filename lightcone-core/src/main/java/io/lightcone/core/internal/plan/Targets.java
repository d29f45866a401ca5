package io.lightcone.core.internal.plan;

import io.lightcone.LightconeException;
import io.lightcone.core.internal.project.Suggestions;
import io.lightcone.core.internal.project.Tree;
import io.lightcone.model.Output;
import io.lightcone.model.QualifiedOutputId;
import java.util.ArrayList;
import java.util.List;

/** Resolves an output named on the command line: a qualified id, or a bare id if unambiguous. */
public final class Targets {
  private Targets() {}

  public static QualifiedOutputId resolve(Tree tree, String name) {
    List<QualifiedOutputId> all = new ArrayList<>();
    tree.analyses()
        .forEach(
            (at, a) -> {
              for (Output o : a.outputs()) {
                all.add(new QualifiedOutputId(at, o.id()));
              }
            });
    for (QualifiedOutputId q : all) {
      if (q.toString().equals(name)) {
        return q;
      }
    }
    List<QualifiedOutputId> bare =
        all.stream().filter(q -> q.output().value().equals(name)).toList();
    if (bare.size() == 1) {
      return bare.get(0);
    }
    if (bare.size() > 1) {
      throw new LightconeException(
          LightconeException.Kind.USER_INPUT,
          "output '"
              + name
              + "' is ambiguous: "
              + String.join(", ", bare.stream().map(QualifiedOutputId::toString).toList())
              + "; name one by its qualified id");
    }
    List<String> names = all.stream().map(QualifiedOutputId::toString).toList();
    throw new LightconeException(
        LightconeException.Kind.USER_INPUT,
        "no output '"
            + name
            + "'"
            + Suggestions.hint(name, names)
            + "; outputs: "
            + String.join(", ", names));
  }
}
