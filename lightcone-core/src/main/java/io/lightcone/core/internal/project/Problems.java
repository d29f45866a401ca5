package io.lightcone.core.internal.project;

import io.lightcone.Problem;
import io.lightcone.core.internal.yaml.Mark;
import io.lightcone.core.internal.yaml.YamlProblem;
import java.util.ArrayList;
import java.util.List;

/** Collects the problems of one load, so every problem is reported, not only the first. */
final class Problems {
  private final List<Problem> list = new ArrayList<>();

  void error(Mark at, String key, String message) {
    list.add(new Problem(Problem.Severity.ERROR, at.file(), at.line(), at.column(), key, message));
  }

  void warning(Mark at, String key, String message) {
    list.add(
        new Problem(Problem.Severity.WARNING, at.file(), at.line(), at.column(), key, message));
  }

  void addAll(List<YamlProblem> problems) {
    problems.forEach(p -> error(p.mark(), "", p.message()));
  }

  void addProblems(List<Problem> problems) {
    list.addAll(problems);
  }

  boolean hasErrors() {
    return list.stream().anyMatch(Problem::isError);
  }

  int errorCount() {
    return (int) list.stream().filter(Problem::isError).count();
  }

  List<Problem> all() {
    return List.copyOf(list);
  }
}
