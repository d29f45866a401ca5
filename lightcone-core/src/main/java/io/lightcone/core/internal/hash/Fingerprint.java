package io.lightcone.core.internal.hash;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The one framing of every key that is Lightcone's own (not fixed by lightcone-cli compatibility):
 * SHA-256 of the formula's name, then of each field, every one ended by NUL. The name comes first
 * and carries a version, so a new formula never matches a key of an old one; no field may hold NUL
 * (paths, numbers, versions and ids never do), so fields never run together.
 *
 * <p>The keys themselves are written once, below: {@link #cacheAction}, {@link #codeFilesRecord},
 * {@link #imageMemo}, {@link #universeId}; and the input memo's stamps are built field by field
 * with {@link #of} under {@link #INPUT_STAMP}.
 */
public final class Fingerprint {
  /** The cache's action key (2: the version tag; keys of version 1 had none and now miss). */
  static final String CACHE_ACTION = "lightcone-cache-action-2";

  /** A task's code files as one value, inside the action key. */
  static final String CODE_FILES = "lightcone-code-files-1";

  /** The input memo's stamp of a file, a directory or a list of files. */
  public static final String INPUT_STAMP = "lightcone-input-stamp-1";

  /** What a Containerfile's tag is remembered under in the input memo. */
  static final String IMAGE_MEMO = "lightcone-image-memo-1";

  private static final byte[] NUL = {0};

  private final MessageDigest digest = Sha256.newDigest();

  private Fingerprint(String formula) {
    field(formula);
  }

  /** A fingerprint of the formula {@code formula}, its fields to follow. */
  public static Fingerprint of(String formula) {
    return new Fingerprint(formula);
  }

  /**
   * Adds one field.
   *
   * @throws IllegalArgumentException when it holds NUL
   */
  public Fingerprint field(String value) {
    if (value.indexOf('\0') >= 0) {
      throw new IllegalArgumentException("a fingerprint field cannot hold NUL: " + value);
    }
    digest.update(value.getBytes(StandardCharsets.UTF_8));
    digest.update(NUL);
    return this;
  }

  public Fingerprint field(long value) {
    return field(Long.toString(value));
  }

  /** {@code sha256:<hex>}; the fingerprint is used up. */
  public String version() {
    return Sha256.finish(digest);
  }

  /** The bare hex digest; the fingerprint is used up. */
  String hex() {
    return HexFormat.of().formatHex(digest.digest());
  }

  /**
   * The cache's action key (hex): {@link #CACHE_ACTION}, then the canonical JSON (Python's compact
   * {@code sort_keys} form) of the qualified output id, its {@code code_version}, its {@code
   * input_versions} and, only when the task has code files, {@code "code_files":} {@link
   * #codeFilesRecord}.
   */
  public static String cacheAction(
      String output,
      String codeVersion,
      Map<String, String> codeFiles,
      Map<String, String> inputVersions) {
    Map<String, Object> k = new LinkedHashMap<>();
    if (!codeFiles.isEmpty()) {
      k.put("code_files", codeFilesRecord(codeFiles));
    }
    k.put("code_version", codeVersion);
    k.put("input_versions", new TreeMap<>(inputVersions));
    k.put("output", output);
    return of(CACHE_ACTION).field(PyJson.compact(k)).hex();
  }

  /**
   * A task's code files ({@code path -> version}) as one version: {@link #CODE_FILES}, then for
   * every entry in code-point order of its path, the path and the version. An empty record is
   * {@code ""}.
   */
  static String codeFilesRecord(Map<String, String> files) {
    if (files.isEmpty()) {
      return "";
    }
    Fingerprint f = of(CODE_FILES);
    TreeMap<String, String> sorted = new TreeMap<>(PyJson.CODE_POINT_ORDER);
    sorted.putAll(files);
    sorted.forEach((path, version) -> f.field(path).field(version));
    return f.version();
  }

  /**
   * What the tag of the image built from {@code entries} is remembered under: {@link #IMAGE_MEMO},
   * the project name, then per entry its role, whether it is a copied directory, its path, the
   * number of its files and their paths. (The files' content is the memo's stamp.)
   */
  public static String imageMemo(String projectName, List<ImageTag.Entry> entries) {
    Fingerprint f = of(IMAGE_MEMO).field(projectName);
    for (ImageTag.Entry e : entries) {
      f.field(e.role().label()).field(e.directory() ? "dir" : "file").field(e.path());
      f.field(e.files().size());
      e.files().forEach(f::field);
    }
    return f.version();
  }

  /**
   * The id of an enumerated universe: {@code "mv-"} + the first 10 hex of SHA-256 over its {@code
   * decision=option} pairs, sorted, joined by newlines. Ids name results directories, so these
   * bytes are kept as they have always been (they predate the NUL framing above).
   */
  public static String universeId(Map<String, String> choices) {
    List<String> pairs = new ArrayList<>();
    choices.forEach((d, o) -> pairs.add(d + "=" + o));
    pairs.sort(null);
    return "mv-" + Sha256.ofUtf8(String.join("\n", pairs)).substring(Sha256.PREFIX.length(), 17);
  }
}
