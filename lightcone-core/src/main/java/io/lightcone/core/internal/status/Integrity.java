package io.lightcone.core.internal.status;

import io.lightcone.Explanation;
import io.lightcone.LightconeException;
import io.lightcone.Manifest;
import io.lightcone.OutputStatus;
import io.lightcone.StatusReport;
import io.lightcone.Task;
import io.lightcone.TaskId;
import io.lightcone.TaskInput;
import io.lightcone.VerifyReport;
import io.lightcone.VerifyResult;
import io.lightcone.core.internal.Parallel;
import io.lightcone.core.internal.hash.CodeVersion;
import io.lightcone.core.internal.hash.DataVersion;
import io.lightcone.core.internal.hash.InputVersion;
import io.lightcone.core.internal.manifest.FailureLog;
import io.lightcone.core.internal.manifest.ManifestStore;
import io.lightcone.core.internal.manifest.TrustedKeys;
import io.lightcone.core.internal.project.Tree;
import io.lightcone.model.Analysis;
import io.lightcone.model.OptionId;
import io.lightcone.model.Output;
import io.lightcone.model.QualifiedDecisionId;
import io.lightcone.model.QualifiedOutputId;
import io.lightcone.model.ResolvedUniverse;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiPredicate;
import java.util.function.Function;
import java.util.function.Supplier;

/** {@code status}, {@code verify} and {@code explain} of a loaded project. */
public final class Integrity {
  private final Path project;
  private final Tree tree;
  private final BiPredicate<QualifiedOutputId, Map<QualifiedDecisionId, OptionId>> active;
  private final Function<ResolvedUniverse, List<Task>> tasks;
  private final int threads;
  private final Supplier<InputMemo> inputs;

  /**
   * @param active whether an output is active under a universe's choices (the task deriver's)
   * @param tasks the tasks of a universe, as the task deriver derives them (a project state's memo)
   * @param inputs the memo of external input versions that {@code status} and {@code explain}
   *     trust; {@code verify} never asks for it
   */
  public Integrity(
      Path project,
      Tree tree,
      BiPredicate<QualifiedOutputId, Map<QualifiedDecisionId, OptionId>> active,
      Function<ResolvedUniverse, List<Task>> tasks,
      int threads,
      Supplier<InputMemo> inputs) {
    this.project = project;
    this.tree = tree;
    this.active = active;
    this.tasks = tasks;
    this.threads = Math.max(1, threads);
    this.inputs = inputs;
  }

  /** Verdicts of every task of {@code universe}, judged in dependency order. */
  Map<TaskId, Freshness.Verdict> judge(List<Task> tasks, Freshness freshness) {
    Map<TaskId, Freshness.Verdict> verdicts = new HashMap<>();
    for (Task t : tasks) {
      verdicts.put(t.id(), freshness.judge(t, verdicts));
    }
    return verdicts;
  }

  public StatusReport status(List<ResolvedUniverse> universes) {
    InputMemo memo = inputs.get();
    Freshness freshness = new Freshness(project, new ExternalVersions(project, threads, memo));
    // Universes are independent: judged on all threads, reported in their order.
    List<OutputStatus> out = new ArrayList<>();
    try {
      Parallel.map(universes, threads, u -> status(u, freshness)).forEach(out::addAll);
    } finally {
      memo.flush();
    }
    return new StatusReport(out);
  }

  private List<OutputStatus> status(ResolvedUniverse u, Freshness freshness) {
    List<OutputStatus> out = new ArrayList<>();
    {
      List<Task> tasks = this.tasks.apply(u);
      Map<TaskId, Freshness.Verdict> verdicts = judge(tasks, freshness);
      Map<QualifiedOutputId, Task> byOutput = new HashMap<>();
      tasks.forEach(t -> byOutput.put(t.id().output(), t));
      tree.analyses()
          .forEach(
              (at, a) -> {
                for (Output o : a.outputs()) {
                  QualifiedOutputId id = new QualifiedOutputId(at, o.id());
                  if (!active.test(id, u.choices())) {
                    continue;
                  }
                  Task t = byOutput.get(id);
                  out.add(t == null ? alias(u, a, id, o) : status(u, a, t, verdicts.get(t.id())));
                }
              });
    }
    return out;
  }

  private OutputStatus alias(ResolvedUniverse u, Analysis a, QualifiedOutputId id, Output o) {
    return new OutputStatus(
        u.id().value(),
        id.output().value(),
        id.toString(),
        a.id().value(),
        OutputStatus.State.ALIAS,
        Optional.empty(),
        o.from().map(f -> List.of("re-exports " + f)).orElse(List.of("no recipe")),
        Optional.empty());
  }

  private OutputStatus status(ResolvedUniverse u, Analysis a, Task t, Freshness.Verdict v) {
    OutputStatus.State state =
        switch (v.kind()) {
          case FRESH -> OutputStatus.State.OK;
          case MISSING -> OutputStatus.State.MISSING;
          case STALE, INVALID -> OutputStatus.State.STALE;
        };
    List<String> reasons = v.reasons();
    Optional<String> failed = FailureLog.read(project, t.id());
    if (failed.isPresent() && state != OutputStatus.State.OK) {
      state = OutputStatus.State.FAILED;
      reasons = List.of(failed.get());
    }
    return new OutputStatus(
        u.id().value(),
        t.id().output().output().value(),
        t.id().output().toString(),
        a.id().value(),
        state,
        Optional.of(t.template()),
        state == OutputStatus.State.OK || state == OutputStatus.State.MISSING ? List.of() : reasons,
        Optional.of(t.id()));
  }

  public VerifyReport verify(List<ResolvedUniverse> universes) {
    return verify(universes, Optional.empty());
  }

  /**
   * {@code verify}, and with {@code trusted} keys also that every output's manifest and every
   * upstream manifest in its chain is signed by one of them.
   */
  public VerifyReport verify(List<ResolvedUniverse> universes, Optional<TrustedKeys> trusted) {
    Signatures signatures = new Signatures(trusted);
    List<Task> existing = new ArrayList<>();
    for (ResolvedUniverse u : universes) {
      for (Task t : tasks.apply(u)) {
        if (Files.isDirectory(project.resolve(t.outputDir()))) {
          existing.add(t);
        }
      }
    }
    return verifyTasks(existing, signatures);
  }

  /** {@code verify} of just {@code existing} (outputs whose directories exist), in that order. */
  public VerifyReport verifyTasks(List<Task> existing) {
    return verifyTasks(existing, new Signatures(Optional.empty()));
  }

  /**
   * Outputs verified together, sharing the manifests they read: a task's own manifest is its
   * downstream's upstream manifest, and a task's upstreams are listed before it, mostly in the same
   * run of consecutive tasks. A bounded run keeps those manifests in memory only while it lasts.
   */
  static final int RUN = 256;

  private VerifyReport verifyTasks(List<Task> existing, Signatures signatures) {
    // Outputs are verified on all threads; each tree is read by one thread when there are several.
    int perTree = existing.size() >= threads ? 1 : threads;
    // Runs short enough that every thread has several (100 large outputs must not be one run).
    int length = Math.max(1, Math.min(RUN, existing.size() / (threads * 4)));
    List<List<Task>> runs = new ArrayList<>();
    for (int i = 0; i < existing.size(); i += length) {
      runs.add(existing.subList(i, Math.min(existing.size(), i + length)));
    }
    List<VerifyResult> results = new ArrayList<>(existing.size());
    Parallel.map(
            runs,
            threads,
            run -> {
              Manifests manifests = new Manifests();
              return run.stream().map(t -> verify(t, perTree, manifests, signatures)).toList();
            })
        .forEach(results::addAll);
    return new VerifyReport(results);
  }

  private VerifyResult verify(Task t, int hashThreads, Manifests manifests, Signatures signatures) {
    Path dir = project.resolve(t.outputDir());
    ManifestStore.Loaded loaded = manifests.load(dir);
    ManifestStore.Read read = loaded.read();
    if (read instanceof ManifestStore.Missing) {
      return result(t, VerifyResult.Failure.MISSING_MANIFEST, "no .lightcone-manifest.json");
    }
    if (read instanceof ManifestStore.Invalid i) {
      return result(t, VerifyResult.Failure.INVALID_MANIFEST, i.reason());
    }
    Manifest m = ((ManifestStore.Present) read).manifest();
    if (!m.outputId().equals(t.id().output().output().value())
        || !m.universeId().equals(t.id().universe().value())) {
      // A manifest copied from another output vouches for other bytes, whatever they hash to.
      return result(
          t,
          VerifyResult.Failure.INVALID_MANIFEST,
          "it belongs to output '" + m.outputId() + "' of universe '" + m.universeId() + "'");
    }
    Optional<String> untrusted = signatures.untrusted(dir, loaded);
    if (untrusted.isPresent()) {
      return result(t, VerifyResult.Failure.UNTRUSTED, untrusted.get());
    }
    DataVersion.Versions now;
    try {
      now = DataVersion.versions(dir, hashThreads);
    } catch (IOException e) {
      return result(
          t, VerifyResult.Failure.TAMPERED_DATA, "cannot read the data: " + e.getMessage());
    }
    if (!now.dataVersion().equals(m.dataVersion())) {
      return result(
          t,
          VerifyResult.Failure.TAMPERED_DATA,
          "manifest " + m.dataVersion() + ", data " + now.dataVersion());
    }
    if (m.treeVersion().isPresent() && !m.treeVersion().get().equals(now.treeVersion())) {
      return result(
          t,
          VerifyResult.Failure.TAMPERED_DATA,
          "files were merged or split: manifest tree "
              + m.treeVersion().get()
              + ", data tree "
              + now.treeVersion());
    }
    for (TaskInput input : t.inputs()) {
      String recorded = m.inputVersions().get(input.id());
      if (recorded == null) {
        return result(
            t,
            VerifyResult.Failure.BROKEN_CHAIN,
            "input '" + input.id() + "' is not in the manifest");
      }
      if (!input.isOutput()) {
        continue;
      }
      Path upDir = project.resolve(input.path());
      ManifestStore.Loaded upLoaded = manifests.load(upDir);
      ManifestStore.Read up = upLoaded.read();
      if (up instanceof ManifestStore.Missing) {
        return result(
            t,
            VerifyResult.Failure.BROKEN_CHAIN,
            "upstream '" + input.id() + "' has no manifest (" + input.path() + ")");
      }
      if (up instanceof ManifestStore.Invalid i) {
        return result(
            t,
            VerifyResult.Failure.BROKEN_CHAIN,
            "upstream '" + input.id() + "' has an invalid manifest: " + i.reason());
      }
      String current = ((ManifestStore.Present) up).manifest().dataVersion();
      if (!current.equals(recorded)) {
        return result(
            t,
            VerifyResult.Failure.BROKEN_CHAIN,
            "upstream '" + input.id() + "' drifted: recorded " + recorded + ", now " + current);
      }
      Optional<String> upstreamUntrusted = signatures.untrusted(upDir, upLoaded);
      if (upstreamUntrusted.isPresent()) {
        return result(
            t,
            VerifyResult.Failure.BROKEN_CHAIN,
            "upstream '" + input.id() + "' is not trusted: " + upstreamUntrusted.get());
      }
    }
    return result(t, null, "");
  }

  /**
   * The manifests one run of a verify has read, each read and parsed once: as an output's own and
   * again as its downstream's upstream, it is the same file (read twice, it was parsed twice).
   */
  private static final class Manifests {
    private final Map<Path, ManifestStore.Loaded> loaded = new HashMap<>();

    ManifestStore.Loaded load(Path dir) {
      return loaded.computeIfAbsent(dir.normalize(), ManifestStore::load);
    }
  }

  /** Signature checks of one verify, each manifest checked once (outputs and their upstreams). */
  private static final class Signatures {
    private final Optional<TrustedKeys> trusted;
    private final Map<Path, Optional<String>> checked =
        new java.util.concurrent.ConcurrentHashMap<>();

    Signatures(Optional<TrustedKeys> trusted) {
      this.trusted = trusted;
    }

    /**
     * Why the manifest in {@code dir}, as {@code loaded} read it, is not signed by a trusted key;
     * empty when it is. The check is of the bytes that were parsed, not of a second read.
     */
    Optional<String> untrusted(Path dir, ManifestStore.Loaded loaded) {
      if (trusted.isEmpty()) {
        return Optional.empty();
      }
      return checked.computeIfAbsent(
          dir.normalize(),
          d ->
              loaded
                  .text()
                  .map(trusted.get()::check)
                  .orElse(Optional.of("the manifest cannot be read")));
    }
  }

  private VerifyResult result(Task t, VerifyResult.Failure failure, String detail) {
    return new VerifyResult(
        t.id().universe().value(),
        t.id().output().output().value(),
        t.id().output().toString(),
        t.analysisId(),
        t.outputDir(),
        Optional.ofNullable(failure),
        detail);
  }

  public Explanation explain(ResolvedUniverse universe, QualifiedOutputId output) {
    List<Task> tasks = this.tasks.apply(universe);
    Task task =
        tasks.stream()
            .filter(t -> t.id().output().equals(output))
            .findFirst()
            .orElseThrow(
                () ->
                    new LightconeException(
                        LightconeException.Kind.USER_INPUT,
                        "output '"
                            + output
                            + "' has no task in universe '"
                            + universe.id()
                            + "' (it is an alias, has no recipe, or its 'when' does not hold)"));
    InputMemo memo = inputs.get();
    ExternalVersions external = new ExternalVersions(project, threads, memo);
    Freshness freshness = new Freshness(project, external);
    try {
      return explain(task, external, judge(tasks, freshness));
    } finally {
      memo.flush();
    }
  }

  private Explanation explain(
      Task task, ExternalVersions external, Map<TaskId, Freshness.Verdict> verdicts) {
    Freshness.Verdict v = verdicts.get(task.id());
    Optional<Manifest> m = v.manifest();
    List<Explanation.Row> code = new ArrayList<>();
    code.add(row("code_version", m.map(Manifest::codeVersion), task.codeVersion()));
    code.add(row("recipe", m.map(Manifest::recipe), task.template()));
    code.add(
        row(
            "container_image",
            m.map(x -> x.imageIdentity().or(x::containerImage).orElse("null")),
            task.imageIdentity().orElse("null")));
    java.util.TreeSet<String> ids = new java.util.TreeSet<>(task.decisions().keySet());
    m.ifPresent(x -> ids.addAll(x.decisions().keySet()));
    for (String id : ids) {
      code.add(
          row(
              "decisions." + id,
              m.map(x -> x.decisions().getOrDefault(id, "-")),
              task.decisions().getOrDefault(id, "-")));
    }
    code.add(
        row(
            "json",
            m.map(
                x ->
                    CodeVersion.json(
                        x.recipe(), x.imageIdentity().or(x::containerImage), x.decisions())),
            CodeVersion.json(task.template(), task.imageIdentity(), task.decisions())));
    // Each code file, then and now: "-" where one side has none (added or removed).
    java.util.TreeSet<String> files = new java.util.TreeSet<>(task.codeFiles());
    m.ifPresent(x -> files.addAll(x.codeFiles().keySet()));
    for (String f : files) {
      code.add(
          row(
              "code_files." + f,
              m.map(x -> x.codeFiles().getOrDefault(f, "-")),
              task.codeFiles().contains(f)
                  ? external.code(f)
                  : external.code(f).equals(InputVersion.MISSING) ? "missing" : "-"));
    }
    List<Explanation.Row> inputs = new ArrayList<>();
    for (TaskInput input : task.inputs()) {
      String now;
      if (input.isOutput()) {
        Freshness.Verdict up = input.upstream().map(verdicts::get).orElse(null);
        ManifestStore.Read r = ManifestStore.read(project.resolve(input.path()));
        now = r instanceof ManifestStore.Present p ? p.manifest().dataVersion() : "missing";
        if (up != null && !up.fresh()) {
          now += " (upstream is " + up.kind().name().toLowerCase(java.util.Locale.ROOT) + ")";
        }
      } else {
        String recorded = m.map(x -> x.inputVersions().get(input.id())).orElse(null);
        now = external.version(input.path(), recorded != null && recorded.startsWith("sha256:"));
      }
      inputs.add(row(input.id(), m.map(x -> x.inputVersions().getOrDefault(input.id(), "-")), now));
    }
    return new Explanation(
        task.id(),
        task.outputDir(),
        v.kind().name().toLowerCase(java.util.Locale.ROOT),
        v.reasons(),
        code,
        inputs);
  }

  private static Explanation.Row row(String name, Optional<String> then, String now) {
    return new Explanation.Row(name, then.orElse("-"), now);
  }
}
