package io.lightcone.core.internal.status;

import io.lightcone.Manifest;
import io.lightcone.Task;
import io.lightcone.TaskId;
import io.lightcone.TaskInput;
import io.lightcone.core.internal.hash.InputVersion;
import io.lightcone.core.internal.manifest.ManifestStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Whether a task's output is up to date, from manifests only (no data is re-hashed), and if not,
 * why: the one judgement that {@code status}, {@code plan} and {@code explain} share. Tasks must be
 * judged in dependency order, so an upstream's verdict is known.
 */
public final class Freshness {
  /** The judgement. */
  enum Kind {
    FRESH,
    MISSING,
    STALE,
    /** The manifest cannot be read as one; treated like stale. */
    INVALID
  }

  /**
   * @param manifest the manifest found, when it could be read
   * @param reasons why it is not fresh, in the words of DESIGN §4
   */
  public record Verdict(Kind kind, List<String> reasons, Optional<Manifest> manifest) {
    public boolean fresh() {
      return kind == Kind.FRESH;
    }
  }

  private final Path project;
  private final ExternalVersions external;
  // Before a universe's first run its results directory does not exist: one stat answers for
  // all of its outputs.
  private final Map<Path, Boolean> directories = new java.util.concurrent.ConcurrentHashMap<>();

  public Freshness(Path project, ExternalVersions external) {
    this.project = project;
    this.external = external;
  }

  public Verdict judge(Task task, Map<TaskId, Verdict> upstream) {
    Path output = project.resolve(task.outputDir());
    if (!directories.computeIfAbsent(output.getParent(), java.nio.file.Files::isDirectory)) {
      return new Verdict(Kind.MISSING, List.of("missing"), Optional.empty());
    }
    ManifestStore.Read read = ManifestStore.read(output);
    if (read instanceof ManifestStore.Missing) {
      return new Verdict(Kind.MISSING, List.of("missing"), Optional.empty());
    }
    if (read instanceof ManifestStore.Invalid invalid) {
      return new Verdict(
          Kind.INVALID, List.of("invalid manifest: " + invalid.reason()), Optional.empty());
    }
    Manifest m = ((ManifestStore.Present) read).manifest();
    List<String> reasons = new ArrayList<>();
    if (!m.universeId().equals(task.id().universe().value())
        || !m.outputId().equals(task.id().output().output().value())) {
      return new Verdict(
          Kind.INVALID,
          List.of(
              "invalid manifest: it belongs to output '"
                  + m.outputId()
                  + "' of universe '"
                  + m.universeId()
                  + "'"),
          Optional.of(m));
    }
    if (!m.codeVersion().equals(task.codeVersion())) {
      reasons.addAll(codeChanges(m, task));
    }
    reasons.addAll(
        codeFileChanges(
            m.codeFiles(),
            external.code(task.codeFiles()),
            f -> !external.code(f).equals(InputVersion.MISSING)));
    for (TaskInput input : task.inputs()) {
      String recorded = m.inputVersions().get(input.id());
      if (recorded == null) {
        reasons.add("upstream changed: " + input.id() + " (not recorded in the manifest)");
        continue;
      }
      if (input.isOutput()) {
        Verdict up = input.upstream().map(upstream::get).orElse(null);
        if (up != null && !up.fresh()) {
          reasons.add("upstream stale: " + input.id());
          continue;
        }
        String current =
            up != null
                ? up.manifest().map(Manifest::dataVersion).orElse("missing")
                : currentOutputVersion(input.path());
        if (!current.equals(recorded)) {
          reasons.add("upstream changed: " + input.id());
        }
      } else if (!external.version(input.path(), recorded.startsWith("sha256:")).equals(recorded)) {
        reasons.add("input changed: " + input.id());
      }
    }
    return reasons.isEmpty()
        ? new Verdict(Kind.FRESH, List.of(), Optional.of(m))
        : new Verdict(Kind.STALE, reasons, Optional.of(m));
  }

  private String currentOutputVersion(String outputDir) {
    ManifestStore.Read r = ManifestStore.read(project.resolve(outputDir));
    return r instanceof ManifestStore.Present p ? p.manifest().dataVersion() : "missing";
  }

  /** At most this many code files are named in one reason; the rest are counted. */
  static final int NAMED_CODE_FILES = 5;

  /**
   * Why the code files differ: none, or one reason {@code code changed: src/a.py, lib/ (added),
   * old.R (removed)}. A manifest that records no code files for a task that has some was written
   * before code files were tracked: {@code code changed: code files not recorded}, since what ran
   * then is unknown. A recorded file that is not in the project at all is not judged: the code is
   * not here (an archive unpacked without it), and a run could not use it either (it fails naming
   * it); one that is there but no longer code of the task is {@code (removed)}.
   *
   * @param recorded the manifest's {@code code_files}
   * @param now the task's code files and their versions now ({@code missing} when gone)
   * @param exists whether a project-relative code path (a directory ends in {@code /}) exists
   */
  static List<String> codeFileChanges(
      Map<String, String> recorded,
      Map<String, String> now,
      java.util.function.Predicate<String> exists) {
    if (recorded.equals(now)) {
      return List.of();
    }
    if (recorded.isEmpty()) {
      return List.of("code changed: code files not recorded");
    }
    TreeSet<String> files = new TreeSet<>(recorded.keySet());
    files.addAll(now.keySet());
    List<String> changed = new ArrayList<>();
    for (String f : files) {
      String was = recorded.get(f);
      String is = now.get(f);
      if (was == null) {
        changed.add(f + " (added)");
      } else if (is == null || is.equals(InputVersion.MISSING)) {
        if (exists.test(f)) {
          changed.add(f + " (removed)");
        }
      } else if (!was.equals(is)) {
        changed.add(f);
      }
    }
    if (changed.isEmpty()) {
      return List.of();
    }
    List<String> named = changed.subList(0, Math.min(NAMED_CODE_FILES, changed.size()));
    int more = changed.size() - named.size();
    return List.of(
        "code changed: "
            + String.join(", ", named)
            + (more > 0 ? " and " + more + " more file" + (more == 1 ? "" : "s") : ""));
  }

  /** Which ingredients of {@code code_version} differ between the manifest and the spec. */
  static List<String> codeChanges(Manifest m, Task task) {
    List<String> out = new ArrayList<>();
    if (!m.recipe().equals(task.template())) {
      out.add("code changed: recipe");
    }
    if (!m.decisions().equals(task.decisions())) {
      List<String> changes = new ArrayList<>();
      TreeSet<String> ids = new TreeSet<>(m.decisions().keySet());
      ids.addAll(task.decisions().keySet());
      for (String id : ids) {
        String was = m.decisions().get(id);
        String now = task.decisions().get(id);
        if (!Objects.equals(was, now)) {
          changes.add(
              id + ": " + (was == null ? "(none)" : was) + " → " + (now == null ? "(none)" : now));
        }
      }
      out.add("code changed: decisions (" + String.join(", ", changes) + ")");
    }
    Optional<String> wasImage = m.imageIdentity().or(m::containerImage);
    if (!wasImage.equals(task.imageIdentity())) {
      out.add(
          "code changed: image ("
              + wasImage.orElse("none")
              + " → "
              + task.imageIdentity().orElse("none")
              + ")");
    }
    if (out.isEmpty()) {
      out.add("code changed");
    }
    return out;
  }
}
