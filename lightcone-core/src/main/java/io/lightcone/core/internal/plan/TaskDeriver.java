package io.lightcone.core.internal.plan;

import io.lightcone.LightconeException;
import io.lightcone.Task;
import io.lightcone.TaskId;
import io.lightcone.TaskInput;
import io.lightcone.core.internal.container.Images;
import io.lightcone.core.internal.hash.CodeVersion;
import io.lightcone.core.internal.project.ChoiceResolver;
import io.lightcone.core.internal.project.Placeholders;
import io.lightcone.core.internal.project.Tree;
import io.lightcone.model.Analysis;
import io.lightcone.model.AnalysisPath;
import io.lightcone.model.Condition;
import io.lightcone.model.DecisionId;
import io.lightcone.model.Input;
import io.lightcone.model.OptionId;
import io.lightcone.model.Output;
import io.lightcone.model.QualifiedDecisionId;
import io.lightcone.model.QualifiedOutputId;
import io.lightcone.model.Recipe;
import io.lightcone.model.Ref;
import io.lightcone.model.ResolvedUniverse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Derives the tasks of one universe: one per active output with a recipe, with its rendered
 * command, inputs, dependencies and {@code code_version}, in dependency order. The one place that
 * knows where outputs live: {@code results/<universe>/<output_id>} under the directory of the
 * {@code astra.yaml} that declares the output.
 */
public final class TaskDeriver {
  private static final Pattern URI = Pattern.compile("[A-Za-z][A-Za-z0-9+.-]*://.*");

  private final Tree tree;
  private final Images images;
  private final ChoiceResolver resolver;
  private final Optional<CodeFileResolver> code;
  private final Map<AnalysisPath, String> directories = new HashMap<>();
  // Planning a multiverse derives the same output in thousands of universes: everything that
  // does not depend on the universe is resolved once. Thread-safe, universes derive in parallel.
  private final Map<List<Object>, QualifiedDecisionId> owners = new ConcurrentHashMap<>();
  private final Map<List<Object>, Resolution> sources = new ConcurrentHashMap<>();
  // Keyed by a string: Map.hashCode (a sum of key^value hashes) collides badly for decision
  // maps like {a=a3, b=b5}, which turned this memo into a linear search.
  private final Map<String, String> codeVersions = new ConcurrentHashMap<>();
  private final Map<String, List<Placeholders.Token>> templates = new ConcurrentHashMap<>();

  /** What an input reference leads to, independent of the universe. */
  private record Resolution(Tree.Source source, QualifiedOutputId producer) {}

  /**
   * @param images resolves declared containers to their identity (content tags of Containerfiles)
   */
  TaskDeriver(Tree tree, Images images) {
    this(tree, images, Optional.empty(), List.of());
  }

  /**
   * @param project the project root, where the words of commands are looked up as code files;
   *     empty: tasks have no code files
   * @param codeGlobbed the files {@code lightcone.yaml}'s code globs matched
   */
  TaskDeriver(Tree tree, Images images, Optional<Path> project, List<String> codeGlobbed) {
    this.tree = tree;
    this.images = images;
    this.code = project.map(p -> new CodeFileResolver(p, codeGlobbed));
    this.resolver = new ChoiceResolver(tree);
    tree.analyses()
        .forEach(
            (at, a) -> {
              String parent = at.isRoot() ? "" : directories.get(at.parent());
              directories.put(
                  at, a.path().isPresent() && !at.isRoot() ? join(parent, a.path().get()) : parent);
            });
  }

  private static String join(String dir, String relative) {
    Path p = Path.of(dir.isEmpty() ? "." : dir).resolve(relative).normalize();
    String s = p.toString().replace(java.io.File.separatorChar, '/');
    return s.isEmpty() || s.equals(".") ? "" : s;
  }

  /** The project-relative directory of the file that declares {@code at} ("" for the root). */
  String directory(AnalysisPath at) {
    return directories.get(at);
  }

  /** Where {@code output} of {@code universe} is written, project-relative. */
  String outputDir(String universe, QualifiedOutputId output) {
    String base = directories.get(output.analysis());
    return (base.isEmpty() ? "" : base + "/") + "results/" + universe + "/" + output.output();
  }

  /** Whether the output exists in a universe with these choices (its {@code when} holds). */
  public boolean active(QualifiedOutputId id, Map<QualifiedDecisionId, OptionId> choices) {
    return active(id, tree.output(id), choices);
  }

  /** {@link #active}, for the output {@code o} the caller holds (no search among its siblings). */
  private boolean active(
      QualifiedOutputId id, Output o, Map<QualifiedDecisionId, OptionId> choices) {
    for (Condition c : o.when()) {
      if (!resolver.holds(id.analysis(), c, choices)) {
        return false;
      }
    }
    return true;
  }

  /** The tasks of {@code universe}, dependencies before dependents. */
  List<Task> derive(ResolvedUniverse universe) {
    Map<QualifiedOutputId, Task> byOutput = new LinkedHashMap<>();
    tree.analyses()
        .forEach(
            (at, a) -> {
              for (Output o : a.outputs()) {
                QualifiedOutputId id = new QualifiedOutputId(at, o.id());
                if (o.recipe().isPresent()
                    && o.from().isEmpty()
                    && active(id, o, universe.choices())) {
                  byOutput.put(id, task(universe, at, a, o, o.recipe().get()));
                }
              }
            });
    return topological(byOutput);
  }

  private Task task(
      ResolvedUniverse universe, AnalysisPath at, Analysis a, Output o, Recipe recipe) {
    String u = universe.id().value();
    QualifiedOutputId id = new QualifiedOutputId(at, o.id());
    Map<String, String> decisions = new LinkedHashMap<>();
    for (DecisionId d : o.decisions()) {
      QualifiedDecisionId owner =
          owners.computeIfAbsent(
              List.of(at, d), k -> tree.decisionOwner(at, d.value()).value().orElseThrow());
      OptionId option = universe.choices().get(owner);
      // An alias may carry its own `when`: the sub-analysis uses the decision only then.
      boolean aliasActive =
          a.decisions().get(d).when().stream()
              .allMatch(c -> resolver.holds(at, c, universe.choices()));
      if (option == null || !aliasActive) {
        throw new LightconeException(
            LightconeException.Kind.USER_INPUT,
            "output '"
                + id
                + "' uses decision '"
                + d
                + "', which is not active in universe '"
                + u
                + "' (its 'when' does not hold); give the output the same 'when' as the decision");
      }
      decisions.put(d.value(), option.value());
    }
    List<TaskInput> inputs = new ArrayList<>();
    TreeSet<TaskId> depends = new TreeSet<>();
    for (Ref ref : o.inputs()) {
      TaskInput input = input(universe, id, at, ref);
      input.upstream().ifPresent(depends::add);
      inputs.add(input);
    }
    String outputDir = outputDir(u, id);
    Optional<Images.Image> resolved = image(at, recipe);
    Optional<String> container = resolved.map(Images.Image::spec);
    Optional<String> image = resolved.map(Images.Image::identity);
    String command =
        Renderer.render(
            templates.computeIfAbsent(recipe.command(), Placeholders::scan),
            outputDir,
            inputs,
            decisions);
    return Task.builder()
        .id(new TaskId(universe.id(), id))
        .analysisId(a.id().value())
        .outputType(o.type().orElseThrow())
        .outputFormat(o.format())
        .outputDir(outputDir)
        .template(recipe.command())
        .command(command)
        .codeVersion(
            codeVersions.computeIfAbsent(
                recipe.command() + '\u0000' + image.orElse("") + '\u0000' + decisions,
                k -> CodeVersion.of(recipe.command(), image, decisions)))
        .decisions(decisions)
        .inputs(inputs)
        .dependsOn(depends)
        .resources(recipe.resources())
        .container(container)
        .imageIdentity(image)
        .codeFiles(codeFiles(command, outputDir, inputs))
        .build();
  }

  /** The code files of a command: what it names, less its declared inputs and output. */
  private List<String> codeFiles(String command, String outputDir, List<TaskInput> inputs) {
    if (code.isEmpty()) {
      return List.of();
    }
    List<String> excluded = new ArrayList<>(inputs.size() + 1);
    excluded.add(outputDir);
    inputs.forEach(in -> excluded.add(in.path()));
    return code.get().resolve(command, excluded);
  }

  /**
   * The image a recipe of the analysis at {@code at} runs in: the recipe's {@code container}, else
   * the nearest enclosing analysis's (the owning sub-analysis, ..., the root); a Containerfile path
   * is relative to the directory of the {@code astra.yaml} that declares it.
   */
  public Optional<Images.Image> image(AnalysisPath at, Recipe recipe) {
    if (recipe.container().isPresent()) {
      return Optional.of(images.resolve(recipe.container().get(), directories.get(at)));
    }
    for (AnalysisPath p = at; ; p = p.parent()) {
      Optional<String> c = tree.at(p).container();
      if (c.isPresent()) {
        return Optional.of(images.resolve(c.get(), directories.get(p)));
      }
      if (p.isRoot()) {
        return Optional.empty();
      }
    }
  }

  private TaskInput input(
      ResolvedUniverse universe, QualifiedOutputId consumer, AnalysisPath at, Ref ref) {
    Resolution resolved =
        sources.computeIfAbsent(
            List.of(at, ref),
            k -> {
              Tree.Source s = tree.outputInput(at, ref).value().orElseThrow();
              QualifiedOutputId producer =
                  s instanceof Tree.ProducedOutput po
                      ? tree.outputProducer(po.output()).value().orElseThrow()
                      : null;
              return new Resolution(s, producer);
            });
    Tree.Source source = resolved.source();
    TaskInput.Builder b = TaskInput.builder().id(ref.toString());
    if (source instanceof Tree.ExternalInput ext) {
      return b.isOutput(false).path(externalPath(ext.analysis(), ext.input())).build();
    }
    QualifiedOutputId producer = resolved.producer();
    Output p = tree.output(producer);
    b.isOutput(true).path(outputDir(universe.id().value(), producer));
    if (p.recipe().isPresent()) {
      if (!active(producer, universe.choices())) {
        throw new LightconeException(
            LightconeException.Kind.USER_INPUT,
            "output '"
                + consumer
                + "' reads '"
                + ref
                + "', but '"
                + producer
                + "' does not exist"
                + " in universe '"
                + universe.id()
                + "' (its 'when' does not hold); give '"
                + consumer
                + "' a 'when' that implies it");
      }
      b.upstream(new TaskId(universe.id(), producer));
    }
    return b.build();
  }

  /** A data input's {@code source}: a URI as written, else a path relative to the project. */
  String externalPath(AnalysisPath at, Input input) {
    String source = input.source().orElse("");
    if (source.isEmpty() || URI.matcher(source).matches() || Path.of(source).isAbsolute()) {
      return source;
    }
    return join(directories.get(at), source);
  }

  private static List<Task> topological(Map<QualifiedOutputId, Task> byOutput) {
    Map<TaskId, Task> byId = new LinkedHashMap<>();
    byOutput.values().forEach(t -> byId.put(t.id(), t));
    List<Task> out = new ArrayList<>(byId.size());
    Map<TaskId, Boolean> done = new HashMap<>();
    for (Task t : byId.values()) {
      visit(t, byId, done, out);
    }
    return out;
  }

  private static void visit(
      Task t, Map<TaskId, Task> byId, Map<TaskId, Boolean> done, List<Task> out) {
    // Iterative post-order: validation ruled out cycles, and chains may be long.
    List<Task> stack = new ArrayList<>();
    List<Integer> next = new ArrayList<>();
    if (done.containsKey(t.id())) {
      return;
    }
    stack.add(t);
    next.add(0);
    done.put(t.id(), false);
    while (!stack.isEmpty()) {
      int top = stack.size() - 1;
      Task cur = stack.get(top);
      int i = next.get(top);
      if (i < cur.dependsOn().size()) {
        next.set(top, i + 1);
        Task dep = byId.get(cur.dependsOn().get(i));
        if (dep != null && !done.containsKey(dep.id())) {
          done.put(dep.id(), false);
          stack.add(dep);
          next.add(0);
        }
      } else {
        stack.remove(top);
        next.remove(top);
        done.put(cur.id(), true);
        out.add(cur);
      }
    }
  }
}
