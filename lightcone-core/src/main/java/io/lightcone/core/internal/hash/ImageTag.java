package io.lightcone.core.internal.hash;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/**
 * The content tag of an image built from a Containerfile (DESIGN §3.1, lightcone-cli 0.4's formula,
 * so that both tools give a containerised output the same {@code code_version}): {@code lc-<project
 * name>-<first 12 hex of SHA-256>} over the entries the image is built from. Which entries, and in
 * which order, is the build context's business ({@code internal.container.BuildContext}): the
 * Containerfile, then the dependency files at the project root sorted by name, then every {@code
 * COPY}/{@code ADD} source in order. This is the one place of the formula:
 *
 * <pre>
 * containerfile, dependency: label + "\0" + basename + "\0" + bytes + "\0"   (label containerfile, dep)
 * copied file:               "copy\0" + rel + "\0file\0" + bytes + "\0"
 * copied directory:          "copy\0" + rel + "\0dir\0" + (per file, sorted by its path under the
 *                            directory: "path\0" + path + "\0data\0" + bytes + "\0") + "\0"
 * </pre>
 *
 * where {@code rel} is the project-relative POSIX path ({@code "."} for the root).
 */
public final class ImageTag {
  /** Hex digits of the digest the tag keeps: short enough to read, 48 bits against collisions. */
  static final int HEX_DIGITS = 12;

  /** The role of a file in the build. */
  public enum Role {
    CONTAINERFILE("containerfile"),
    DEPENDENCY("dep"),
    SOURCE("copy");

    private final String label;

    Role(String label) {
      this.label = label;
    }

    String label() {
      return label;
    }
  }

  /** One file the image is built from: its role and its project-relative POSIX path. */
  public record Part(Role role, String path) {}

  /**
   * One hashed entry.
   *
   * @param role what it is in the build
   * @param path project-relative POSIX path ("" for the project root)
   * @param files for a copied directory, its files (project-relative), sorted by their path under
   *     it; empty otherwise
   * @param directory whether it is a copied directory
   */
  public record Entry(Role role, String path, List<String> files, boolean directory) {
    public Entry {
      files = List.copyOf(files);
    }

    public static Entry file(Role role, String path) {
      return new Entry(role, path, List.of(), false);
    }

    public static Entry directory(String path, List<String> files) {
      return new Entry(Role.SOURCE, path, files, true);
    }
  }

  private static final byte[] NUL = {0};

  private ImageTag() {}

  /**
   * The tag of the image built from {@code entries} (read under {@code project}) for the project
   * named {@code projectName}.
   */
  public static String of(String projectName, Path project, List<Entry> entries)
      throws IOException {
    return "lc-" + slug(projectName) + "-" + digest(project, entries).substring(0, HEX_DIGITS);
  }

  /** The full hex SHA-256 of the framed entries. */
  static String digest(Path project, List<Entry> entries) throws IOException {
    MessageDigest d = Sha256.newDigest();
    byte[] buffer = new byte[1 << 16];
    for (Entry e : entries) {
      if (e.role() != Role.SOURCE) {
        text(d, e.role().label());
        text(d, basename(e.path()));
        bytes(d, project, e.path(), buffer);
        continue;
      }
      text(d, "copy");
      text(d, e.path().isEmpty() ? "." : e.path());
      if (e.directory()) {
        text(d, "dir");
        String prefix = e.path().isEmpty() ? "" : e.path() + "/";
        for (String f : e.files()) {
          text(d, "path");
          text(d, f.substring(prefix.length()));
          text(d, "data");
          bytes(d, project, f, buffer);
        }
        d.update(NUL);
      } else {
        text(d, "file");
        bytes(d, project, e.path(), buffer);
      }
    }
    return HexFormat.of().formatHex(d.digest());
  }

  private static String basename(String path) {
    return path.substring(path.lastIndexOf('/') + 1);
  }

  /** {@code s} and a NUL. */
  private static void text(MessageDigest d, String s) {
    d.update(s.getBytes(StandardCharsets.UTF_8));
    d.update(NUL);
  }

  /** The bytes of {@code path} and a NUL. */
  private static void bytes(MessageDigest d, Path project, String path, byte[] buffer)
      throws IOException {
    Path file = project.resolve(path);
    long size = Files.size(file);
    long read = 0;
    try (InputStream in = Files.newInputStream(file)) {
      int n;
      while ((n = in.read(buffer)) > 0) {
        d.update(buffer, 0, n);
        read += n;
      }
    }
    if (read != size) {
      throw new IOException(path + " changed while it was hashed; try again");
    }
    d.update(NUL);
  }

  /**
   * The project name as an image name can hold it: lower-case, spaces as {@code -} (as
   * lightcone-cli 0.4 writes it), and anything else outside {@code [a-z0-9._-]} as {@code -} too
   * (lightcone-cli leaves those, which makes a tag no runtime accepts).
   */
  static String slug(String projectName) {
    String lower = projectName.strip().toLowerCase(Locale.ROOT).replace(' ', '-');
    StringBuilder s = new StringBuilder();
    lower
        .codePoints()
        .forEach(
            c ->
                s.append(
                    (c >= 'a' && c <= 'z')
                            || (c >= '0' && c <= '9')
                            || c == '.'
                            || c == '_'
                            || c == '-'
                        ? (char) c
                        : '-'));
    return s.isEmpty() ? "project" : s.toString();
  }
}
