package io.lightcone;

import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import org.immutables.value.Value;

/**
 * The record written beside every output as {@code .lightcone-manifest.json}: what produced it
 * ({@code code_version}, the decisions, the recipe, the image), from what ({@code input_versions}),
 * what it is ({@code data_version}), and where and when. Compatible with lightcone-cli manifest
 * schema 1; fields after {@code worker_image} are additive.
 *
 * <pre>{@code
 * Manifest m = project.manifest("baseline/pl_fit").orElseThrow();
 * m.dataVersion(); // sha256:...
 * System.out.println(m); // FIELD / VALUE, one row per field in the JSON file's order
 * }</pre>
 */
@Value.Immutable
// LightconeStyle's attributes plus a readable toString(): Immutables does not merge two styles on
// one type, so this repeats them (keep in step with LightconeStyle).
@Value.Style(
    jdkOnly = true,
    visibility = Value.Style.ImplementationVisibility.PUBLIC,
    defaults = @Value.Immutable(copy = true),
    depluralize = true,
    depluralizeDictionary = {"analysis:analyses", "evidence:evidence"},
    optionalAcceptNullable = true,
    delegateToString = "io.lightcone.ManifestTable.render")
public interface Manifest {
  int SCHEMA_VERSION = 1;

  @Value.Default
  default int schemaVersion() {
    return SCHEMA_VERSION;
  }

  /** The output's id within its analysis (not qualified), as the Python tool writes it. */
  String outputId();

  String universeId();

  String codeVersion();

  String dataVersion();

  /** The container declared for the recipe, as written; empty when it runs on the host. */
  Optional<String> containerImage();

  /** The raw, unrendered command template. */
  String recipe();

  /** The decisions the output declares, id as written → option id. */
  Map<String, String> decisions();

  /** Declared input id as written (e.g. {@code sub.real}) → its version when the task ran. */
  Map<String, String> inputVersions();

  Optional<String> gitSha();

  Optional<String> gitRemote();

  String lcVersion();

  /** Unix seconds. */
  double finishedAt();

  String host();

  Optional<String> slurmJobId();

  Optional<String> workerImage();

  // Additive fields, not in the Python tool's schema.

  /**
   * SHA-256 over every file's path and size; with {@link #dataVersion()} it identifies the tree
   * even where the compatible framing alone is ambiguous (content holding NUL framing).
   */
  Optional<String> treeVersion();

  /** The content tag of the image the recipe ran in. */
  Optional<String> imageIdentity();

  /**
   * For a recipe that declares a container, what ran it: the runtime's family ({@code podman},
   * {@code podman-hpc}, {@code docker}), or {@code none} when no runtime was available and the
   * recipe ran on the host, outside the image — its output may not be what the image would make.
   * Absent for recipes without a container.
   */
  Optional<String> containerRuntime();

  OptionalDouble startedAt();

  /** Which substrate ran the task ({@code local}, {@code snakemake}, {@code dask}). */
  Optional<String> substrate();

  /** Restored from the content-addressed cache instead of running the recipe. */
  Optional<Boolean> restoredFromCache();

  /**
   * The task's code files (project-relative; a directory ends in {@code /}) → {@code sha256:} of
   * their bytes (of a directory: its tree, as {@code data_version}), when the recipe ran. Empty
   * when the task had none, or the manifest was written before code files were recorded.
   */
  Map<String, String> codeFiles();

  /**
   * What confined the recipe when it ran ({@code sandbox} in the JSON): absent in manifests written
   * before sandboxing existed, and for outputs restored from the cache.
   */
  Optional<Sandbox> sandbox();

  /**
   * How hermetically a recipe ran.
   *
   * @param tool {@code bwrap}, {@code podman} (the container's mounts) or {@code none}
   * @param mode {@code on}, {@code strict} or {@code off}: what was enforced, not what was asked
   * @param network whether the recipe could reach the network
   */
  record Sandbox(String tool, String mode, boolean network) {
    /** {@code bwrap strict, no network}, as the manifest table shows it. */
    @Override
    public String toString() {
      return tool + " " + mode + (network ? "" : ", no network");
    }
  }

  /**
   * The same table as {@code toString()} (one row per field, times as ISO instants), as HTML for a
   * notebook's rich display; {@code finished_at} and {@code started_at} are marked {@code lc-time}.
   */
  default String toHtml() {
    return ManifestTable.html(this);
  }

  static Builder builder() {
    return new Builder();
  }

  /** Builds a {@link Manifest}. */
  final class Builder extends ImmutableManifest.Builder {}
}
