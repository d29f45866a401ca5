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
 * The content tag of an image built from a Containerfile (DESIGN §3, image identity): {@code
 * lc-<project name>-<first 12 hex of SHA-256>} over the files the image is built from. Which files,
 * and in which order, is the build context's business ({@code internal.container.BuildContext}):
 * the Containerfile, then the dependency files at the project root sorted by name, then every
 * {@code COPY}/{@code ADD} source in order. This is the one place of the formula.
 *
 * <p>Each file is framed as {@code <label>:<project-relative POSIX path> \0 <size in decimal> \0
 * <bytes> \0}: the label says what role the file plays (moving a file from a dependency to a copied
 * source changes the image), the path where it lands, and the size makes the framing prefix-free
 * even for content holding NUL bytes.
 */
public final class ImageTag {
  /** Hex digits of the digest the tag keeps: short enough to read, 48 bits against collisions. */
  public static final int HEX_DIGITS = 12;

  /** The role of a file in the build (its label in the hash). */
  public enum Role {
    CONTAINERFILE("containerfile"),
    DEPENDENCY("dependency"),
    SOURCE("source");

    private final String label;

    Role(String label) {
      this.label = label;
    }

    public String label() {
      return label;
    }
  }

  /** One hashed file: its role and its project-relative POSIX path. */
  public record Part(Role role, String path) {}

  private ImageTag() {}

  /**
   * The tag of the image built from {@code parts} (read under {@code project}) for the project
   * named {@code projectName}.
   */
  public static String of(String projectName, Path project, List<Part> parts) throws IOException {
    return "lc-" + slug(projectName) + "-" + digest(project, parts).substring(0, HEX_DIGITS);
  }

  /** The full hex SHA-256 of the framed parts. */
  public static String digest(Path project, List<Part> parts) throws IOException {
    MessageDigest d = Sha256.newDigest();
    byte[] buffer = new byte[1 << 16];
    for (Part p : parts) {
      Path file = project.resolve(p.path());
      long size = Files.size(file);
      d.update((p.role().label() + ":" + p.path()).getBytes(StandardCharsets.UTF_8));
      d.update((byte) 0);
      d.update(Long.toString(size).getBytes(StandardCharsets.US_ASCII));
      d.update((byte) 0);
      long read = 0;
      try (InputStream in = Files.newInputStream(file)) {
        int n;
        while ((n = in.read(buffer)) > 0) {
          d.update(buffer, 0, n);
          read += n;
        }
      }
      if (read != size) {
        throw new IOException(p.path() + " changed while it was hashed; try again");
      }
      d.update((byte) 0);
    }
    return HexFormat.of().formatHex(d.digest());
  }

  /**
   * The project name as an image name can hold it: lower-case, spaces as {@code -}, and anything
   * else outside {@code [a-z0-9._-]} as {@code -} too.
   */
  public static String slug(String projectName) {
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
