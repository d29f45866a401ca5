package io.lightcone;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;

/** {@link Manifest}'s renderings: one row per field, in the JSON file's (sorted) key order. */
final class ManifestTable {
  /** The fields that change from run to run. */
  private static final Set<String> TIME_FIELDS = Set.of("finished_at", "started_at");

  private ManifestTable() {}

  /** Called by the generated {@code ImmutableManifest.toString()}. */
  static String render(Manifest m) {
    return Tables.render(rows(m)).stripTrailing();
  }

  static String html(Manifest m) {
    List<String[]> rows = rows(m);
    return Tables.html(
        rows, (row, column) -> column == 1 && TIME_FIELDS.contains(rows.get(row + 1)[0]), "");
  }

  private static List<String[]> rows(Manifest m) {
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"FIELD", "VALUE"});
    if (!m.codeFiles().isEmpty()) {
      add(rows, "code_files", map(m.codeFiles()));
    }
    add(rows, "code_version", m.codeVersion());
    add(rows, "container_image", m.containerImage());
    add(rows, "container_runtime", m.containerRuntime());
    add(rows, "data_version", m.dataVersion());
    add(rows, "decisions", map(m.decisions()));
    add(rows, "finished_at", instant(m.finishedAt()));
    add(rows, "git_remote", m.gitRemote());
    add(rows, "git_sha", m.gitSha());
    add(rows, "host", m.host());
    add(rows, "image_identity", m.imageIdentity());
    add(rows, "input_versions", map(m.inputVersions()));
    add(rows, "lc_version", m.lcVersion());
    add(rows, "output_id", m.outputId());
    add(rows, "recipe", m.recipe());
    add(rows, "restored_from_cache", m.restoredFromCache().map(String::valueOf));
    add(rows, "sandbox", m.sandbox().map(Manifest.Sandbox::toString));
    add(rows, "schema_version", String.valueOf(m.schemaVersion()));
    add(rows, "slurm_job_id", m.slurmJobId());
    add(rows, "started_at", m.startedAt());
    add(rows, "substrate", m.substrate());
    add(rows, "tree_version", m.treeVersion());
    add(rows, "universe_id", m.universeId());
    add(rows, "worker_image", m.workerImage());
    return rows;
  }

  private static void add(List<String[]> rows, String field, String value) {
    // One line per field: a multi-line recipe would break the table.
    rows.add(new String[] {field, value.replace("\n", "\\n")});
  }

  private static void add(List<String[]> rows, String field, Optional<String> value) {
    value.ifPresent(v -> add(rows, field, v));
  }

  private static void add(List<String[]> rows, String field, OptionalDouble value) {
    if (value.isPresent()) {
      add(rows, field, instant(value.getAsDouble()));
    }
  }

  private static String instant(double unixSeconds) {
    return Instant.ofEpochMilli(Math.round(unixSeconds * 1000)).toString();
  }

  private static String map(Map<String, String> values) {
    List<String> parts = new ArrayList<>();
    new java.util.TreeMap<>(values).forEach((k, v) -> parts.add(k + "=" + v));
    return parts.isEmpty() ? "-" : String.join(", ", parts);
  }
}
