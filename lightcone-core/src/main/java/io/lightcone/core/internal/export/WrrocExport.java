package io.lightcone.core.internal.export;

import io.lightcone.LightconeException;
import io.lightcone.Manifest;
import io.lightcone.OutputStatus;
import io.lightcone.StatusReport;
import io.lightcone.Task;
import io.lightcone.TaskId;
import io.lightcone.TaskInput;
import io.lightcone.core.internal.hash.DataVersion;
import io.lightcone.core.internal.manifest.ManifestSignature;
import io.lightcone.core.internal.manifest.ManifestStore;
import io.lightcone.core.internal.plan.ProjectState;
import io.lightcone.model.ResolvedUniverse;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * {@code lc export wrroc}: a Workflow Run RO-Crate (RO-Crate 1.1; Process, Workflow and Provenance
 * Run Crate 0.5) of the selected universes: the spec, the universe files, the project's own input
 * files and every up-to-date output with its manifest, described by {@link CrateGraph}.
 *
 * <p>Only outputs whose status is ok are exported, and each is verified as it is copied: the copy
 * is hashed again and must have its manifest's {@code data_version}, so a crate never holds bytes
 * its metadata does not describe. The crate is staged beside the target and appears whole (one
 * rename), or not at all.
 */
public final class WrrocExport {
  /** The time of every zip entry (the earliest a zip can hold): the bytes carry no export time. */
  private static final LocalDateTime ZIP_TIME = LocalDateTime.of(1980, 1, 1, 0, 0);

  private WrrocExport() {}

  /** What was written; see {@code io.lightcone.core.CrateExport}. */
  public record Result(int actions, int files, long bytes, List<String> leftOut) {}

  /**
   * Writes the crate of {@code universes} to {@code target} (a directory that must not exist or be
   * empty, or with {@code zip} a file, replaced if it exists).
   *
   * @param status the status of {@code universes}' outputs, which decides what is exported
   * @throws LightconeException USER_INPUT for a target that cannot be written to, INTEGRITY when
   *     outputs are not up to date (without {@code partial}) or their data does not match their
   *     manifests
   */
  public static Result write(
      ProjectState state,
      List<ResolvedUniverse> universes,
      StatusReport status,
      Path target,
      boolean zip,
      boolean partial)
      throws IOException {
    Path out = target.toAbsolutePath().normalize();
    checkTarget(out, zip);
    Map<TaskId, OutputStatus> statuses = new HashMap<>();
    status.outputs().forEach(o -> o.task().ifPresent(t -> statuses.put(t, o)));

    Map<ResolvedUniverse, List<Task>> exported = new LinkedHashMap<>();
    List<String> leftOut = new ArrayList<>();
    Set<TaskId> kept = new HashSet<>();
    for (ResolvedUniverse u : universes) {
      List<Task> tasks = new ArrayList<>();
      for (Task t : state.tasks(u)) { // dependencies first
        OutputStatus s = statuses.get(t.id());
        String why = null;
        if (s == null || s.state() != OutputStatus.State.OK) {
          why =
              (s == null ? "missing" : s.state().word())
                  + (s == null || s.reasons().isEmpty()
                      ? ""
                      : " (" + String.join("; ", s.reasons()) + ")");
        } else {
          for (TaskId up : t.dependsOn()) {
            if (!kept.contains(up)) {
              why = "its input " + up + " is left out";
              break;
            }
          }
        }
        if (why == null) {
          kept.add(t.id());
          tasks.add(t);
        } else {
          leftOut.add(t.id() + ": " + why);
        }
      }
      exported.put(u, tasks);
    }
    leftOut.sort(Comparator.naturalOrder());
    if (!leftOut.isEmpty() && !partial) {
      throw new LightconeException(
          LightconeException.Kind.INTEGRITY,
          "cannot export a Workflow Run RO-Crate: "
              + leftOut.size()
              + (leftOut.size() == 1 ? " output is" : " outputs are")
              + " not up to date:\n  "
              + String.join("\n  ", leftOut)
              + "\nRun them first (lc run), or export only the up-to-date ones (--partial).");
    }
    if (kept.isEmpty() && !leftOut.isEmpty()) {
      throw new LightconeException(
          LightconeException.Kind.INTEGRITY,
          "nothing to export: no output of "
              + String.join(", ", universes.stream().map(u -> u.id().value()).toList())
              + " is up to date (lc status shows why; lc run makes them)");
    }

    Path parent = out.getParent();
    Files.createDirectories(parent);
    Path staging = parent.resolve(".tmp-" + UUID.randomUUID() + "-" + out.getFileName() + ".d");
    try {
      Files.createDirectory(staging);
      CrateFiles files = new CrateFiles(staging);
      CrateGraph graph = stage(state, exported, files);
      byte[] metadata = graph.toJson();
      files.write(CrateGraph.METADATA, metadata);
      ManifestStore.syncDirectory(staging);
      int count = files.all().size();
      long bytes = files.all().values().stream().mapToLong(CrateFiles.Copied::size).sum();
      if (zip) {
        zip(staging, files, out);
      } else {
        publishDirectory(staging, out);
      }
      return new Result(kept.size(), count, bytes, leftOut);
    } finally {
      deleteTree(staging);
    }
  }

  private static void checkTarget(Path out, boolean zip) throws IOException {
    if (out.getParent() == null) {
      throw new LightconeException(
          LightconeException.Kind.USER_INPUT, "cannot write a crate to " + out + ": pick a path");
    }
    if (zip) {
      if (Files.isDirectory(out)) {
        throw new LightconeException(
            LightconeException.Kind.USER_INPUT,
            out + " is a directory; with --zip, name the .zip file to write (e.g. crate.zip)");
      }
      return;
    }
    if (Files.exists(out) && !Files.isDirectory(out)) {
      throw new LightconeException(
          LightconeException.Kind.USER_INPUT,
          out + " exists and is not a directory; name a new or empty directory for the crate");
    }
    if (Files.isDirectory(out) && !isEmpty(out)) {
      throw new LightconeException(
          LightconeException.Kind.USER_INPUT,
          out
              + " is not empty; refusing to write a crate over its files: name a new or empty"
              + " directory (or remove this one)");
    }
  }

  private static boolean isEmpty(Path dir) throws IOException {
    try (Stream<Path> entries = Files.list(dir)) {
      return entries.findAny().isEmpty();
    }
  }

  /** Copies everything into the staging directory and describes it. */
  private static CrateGraph stage(
      ProjectState state, Map<ResolvedUniverse, List<Task>> exported, CrateFiles files)
      throws IOException {
    Path root = state.directory().toAbsolutePath().normalize();
    CrateGraph graph = new CrateGraph(state);
    for (Path spec : state.loaded().analysisFiles()) {
      Path f = root.resolve(spec).normalize();
      if (f.startsWith(root) && Files.isRegularFile(f)) {
        graph.spec(
            CrateFiles.relative(root, f), files.copy(f, CrateFiles.relative(root, f), false));
      }
    }
    for (Map.Entry<ResolvedUniverse, List<Task>> e : exported.entrySet()) {
      ResolvedUniverse u = e.getKey();
      Map<String, CrateFiles.Copied> universeFiles = new java.util.TreeMap<>();
      for (Path file : state.loaded().universeFiles().getOrDefault(u.id().value(), List.of())) {
        Path f = root.resolve(file).normalize();
        if (f.startsWith(root) && Files.isRegularFile(f)) {
          String rel = CrateFiles.relative(root, f);
          universeFiles.put(rel, files.copy(f, rel, false));
        }
      }
      graph.universe(u, universeFiles);
      for (Task t : e.getValue()) {
        for (TaskInput input : t.inputs()) {
          if (input.upstream().isEmpty()) {
            graph.externalInput(input, stageExternal(root, input, files));
          }
        }
        graph.task(u, t, stageOutput(root, t, files));
      }
    }
    return graph;
  }

  /** An input that no task makes: copied when it is inside the project, else only named. */
  private static Map<String, CrateFiles.Copied> stageExternal(
      Path root, TaskInput input, CrateFiles files) throws IOException {
    if (input.path().contains("://")) {
      return null;
    }
    Path p = root.resolve(input.path()).normalize();
    if (!p.startsWith(root)
        || p.equals(root)
        || !Files.exists(p)
        || !CrateFiles.realInside(root, p)) {
      return null;
    }
    if (CrateFiles.isDirectory(p)) {
      return files.copyTree(root, p, true);
    }
    String rel = CrateFiles.relative(root, p);
    return Map.of(rel, files.copy(p, rel, true));
  }

  /** A task's output and manifest, copied and checked against the manifest. */
  private static CrateGraph.Output stageOutput(Path root, Task t, CrateFiles files)
      throws IOException {
    Path source = root.resolve(t.outputDir());
    String dir = t.outputDir();
    String manifestRel = dir + "/" + ManifestStore.FILE;
    CrateFiles.Copied manifestFile =
        files.copy(source.resolve(ManifestStore.FILE), manifestRel, false);
    Path staged = files.staged(dir);
    ManifestStore.Read read = ManifestStore.read(staged);
    if (!(read instanceof ManifestStore.Present present)) {
      throw new LightconeException(
          LightconeException.Kind.INTEGRITY,
          dir + ": the manifest became unreadable while exporting; run lc verify");
    }
    Manifest m = present.manifest();
    Map<String, CrateFiles.Copied> data = new LinkedHashMap<>();
    files
        .copyTree(root, source, false)
        .forEach(
            (rel, c) -> {
              if (!rel.equals(manifestRel)) {
                data.put(rel, c);
              }
            });
    DataVersion.Versions copied = DataVersion.versions(staged, 2);
    boolean treeDiffers =
        m.treeVersion().isPresent() && !m.treeVersion().get().equals(copied.treeVersion());
    if (!copied.dataVersion().equals(m.dataVersion()) || treeDiffers) {
      throw new LightconeException(
          LightconeException.Kind.INTEGRITY,
          dir
              + ": the data does not match its manifest (manifest "
              + m.dataVersion()
              + ", data "
              + copied.dataVersion()
              + "); it was changed by hand or while exporting. Nothing was written: run lc verify,"
              + " then lc run --force on it");
    }
    // The signer as the copied manifest names it; verify --trusted-keys says whether to trust it.
    Optional<String> signer =
        ManifestStore.text(staged)
            .map(ManifestSignature::check)
            .filter(ManifestSignature.Signed.class::isInstance)
            .map(c -> ((ManifestSignature.Signed) c).key());
    return new CrateGraph.Output(dir, manifestRel, manifestFile, m, data, signer);
  }

  private static void publishDirectory(Path staging, Path out) throws IOException {
    try {
      // rename(2) replaces an empty directory and fails on a non-empty one.
      Files.move(staging, out, StandardCopyOption.ATOMIC_MOVE);
    } catch (DirectoryNotEmptyException | FileAlreadyExistsException e) {
      throw new LightconeException(
          LightconeException.Kind.USER_INPUT,
          out + " is not empty (something was written to it during the export); nothing written");
    }
    ManifestStore.syncDirectory(out.getParent());
  }

  /**
   * The staged files as one zip: entries sorted by path, every time fixed, so two exports of the
   * same state are byte-identical. {@code ro-crate-metadata.json} is at the zip's root.
   */
  private static void zip(Path staging, CrateFiles files, Path out) throws IOException {
    Path tmp = out.resolveSibling(".tmp-" + UUID.randomUUID() + "-" + out.getFileName());
    try {
      try (FileChannel channel =
          FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
        OutputStream stream = new BufferedOutputStream(Channels.newOutputStream(channel), 1 << 16);
        ZipOutputStream zip = new ZipOutputStream(stream, java.nio.charset.StandardCharsets.UTF_8);
        zip.setLevel(6);
        for (String rel : files.all().keySet()) {
          ZipEntry entry = new ZipEntry(rel);
          entry.setTimeLocal(ZIP_TIME);
          zip.putNextEntry(entry);
          Files.copy(staging.resolve(rel), zip);
          zip.closeEntry();
        }
        zip.finish();
        stream.flush();
        channel.force(true);
      }
      Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      ManifestStore.syncDirectory(out.getParent());
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
