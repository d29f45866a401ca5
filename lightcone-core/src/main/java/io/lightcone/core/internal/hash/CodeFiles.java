package io.lightcone.core.internal.hash;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Map;

/**
 * The versions of a task's code files (issue 14, docs/code-tracking.md): what the manifest records
 * in its additive {@code code_files} field and what the cache's action key folds in. {@code
 * code_version} keeps lightcone-cli's formula ({@link CodeVersion}); these are beside it.
 *
 * <ul>
 *   <li>A code <b>file</b>: {@code "sha256:" + hex(sha256(bytes))}, what {@code sha256sum} prints,
 *       so a user can check a recorded hash by hand.
 *   <li>A code <b>directory</b> (written with a trailing {@code /}, e.g. {@code lib/}): its tree,
 *       hashed as {@link DataVersion} hashes an output directory.
 *   <li>The <b>record</b> of all of them: {@link #record(Map)}.
 * </ul>
 */
public final class CodeFiles {
  private CodeFiles() {}

  /**
   * The version of the code file or directory {@code rel} (project-relative, POSIX; a trailing
   * {@code /} for a directory) under {@code project}.
   *
   * @throws NoSuchFileException when it is not there, or not of the kind {@code rel} says
   */
  public static String version(Path project, String rel) throws IOException {
    boolean dir = rel.endsWith("/");
    Path path = project.resolve(dir ? rel.substring(0, rel.length() - 1) : rel);
    if (dir) {
      if (!Files.isDirectory(path)) {
        throw new NoSuchFileException(rel);
      }
      return DataVersion.of(path, 1);
    }
    if (!Files.isRegularFile(path)) {
      throw new NoSuchFileException(rel);
    }
    return fileVersion(path);
  }

  /** {@code "sha256:" + hex(sha256(bytes of file))}. */
  static String fileVersion(Path file) throws IOException {
    MessageDigest d = Sha256.newDigest();
    byte[] buffer = new byte[64 * 1024];
    try (InputStream in = Files.newInputStream(file)) {
      int n;
      while ((n = in.read(buffer)) > 0) {
        d.update(buffer, 0, n);
      }
    }
    return Sha256.finish(d);
  }

  /**
   * The version of a whole record ({@code path -> version}), for the cache's action key: SHA-256 of
   * {@code "lightcone-code-files-1\0"}, then for every entry in code-point order of its path {@code
   * path + "\0" + version + "\0"}. No path or version holds NUL, so the framing is prefix-free; the
   * order of the map does not matter. An empty record is {@code ""}: a task without code files
   * keeps the action key it had before code files were tracked.
   */
  static String record(Map<String, String> files) {
    return Fingerprint.codeFilesRecord(files);
  }

  private static void field(MessageDigest d, String value) {
    d.update(value.getBytes(StandardCharsets.UTF_8));
    d.update((byte) 0);
  }
}
