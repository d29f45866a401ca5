package io.lightcone.core.internal.hash;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A generated directory tree held in memory (relative POSIX path → bytes, plus its directories),
 * the same tree written to disk, and the {@code data_version} / {@code tree_version} the formulas
 * give for it, computed here straight from DESIGN §3 without {@link DataVersion}.
 */
final class Trees {
  final Map<String, byte[]> files = new LinkedHashMap<>();

  /** Every directory, {@code ""} for the root; some stay empty. */
  final Set<String> dirs = new HashSet<>(Set.of(""));

  /** Order of files by code point, which for valid UTF-16 is the unsigned order of UTF-8. */
  static final Comparator<String> UTF8_ORDER =
      (a, b) ->
          Arrays.compareUnsigned(
              a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));

  Trees copy() {
    Trees t = new Trees();
    files.forEach((k, v) -> t.files.put(k, v.clone()));
    t.dirs.addAll(dirs);
    return t;
  }

  /**
   * A tree of 0–16 files (mostly {@link DataVersion#SEQUENTIAL_MAX} or more, so the read-ahead path
   * runs) in up to 5 nested directories, with empty files, empty directories, Unicode names, and
   * now and then a file around {@link DataVersion#READ_AHEAD_MAX}, which is streamed instead of
   * read ahead.
   */
  static Trees generate(Random r) {
    Trees t = new Trees();
    List<String> dirs = new ArrayList<>(List.of(""));
    for (int i = r.nextInt(6); i > 0; i--) {
      String d = join(dirs.get(r.nextInt(dirs.size())), Generate.name(r));
      if (t.dirs.add(d)) {
        dirs.add(d);
      }
    }
    int n = r.nextInt(4) == 0 ? r.nextInt(8) : 8 + r.nextInt(9);
    for (int i = 0; i < n; i++) {
      t.add(join(dirs.get(r.nextInt(dirs.size())), Generate.name(r)), content(r));
    }
    if (r.nextInt(6) == 0) {
      int size =
          switch (r.nextInt(4)) {
            case 0 -> DataVersion.READ_AHEAD_MAX;
            case 1 -> DataVersion.READ_AHEAD_MAX + 1;
            default -> DataVersion.READ_AHEAD_MAX + 1 + r.nextInt(300_000);
          };
      t.add(
          join(dirs.get(r.nextInt(dirs.size())), "big" + Generate.name(r)),
          Generate.bytes(r, size));
    }
    return t;
  }

  static byte[] content(Random r) {
    return switch (r.nextInt(6)) {
      case 0 -> new byte[0];
      case 1, 2, 3 -> Generate.bytes(r, 1 + r.nextInt(256));
      default -> Generate.bytes(r, r.nextInt(16 * 1024));
    };
  }

  /** Adds a file unless its path is taken by a file or a directory. */
  boolean add(String rel, byte[] content) {
    if (files.containsKey(rel) || dirs.contains(rel)) {
      return false;
    }
    files.put(rel, content);
    return true;
  }

  /** Whether {@code rel} is free for a new file or directory. */
  boolean free(String rel) {
    return !files.containsKey(rel) && !dirs.contains(rel);
  }

  static String join(String dir, String name) {
    return dir.isEmpty() ? name : dir + "/" + name;
  }

  static String parent(String rel) {
    int slash = rel.lastIndexOf('/');
    return slash < 0 ? "" : rel.substring(0, slash);
  }

  static String base(String rel) {
    return rel.substring(rel.lastIndexOf('/') + 1);
  }

  /**
   * Writes the tree under {@code root} in a random order, then gives every file and directory a
   * random mtime and random permission bits (the owner keeps read and write, and search on
   * directories, so that the test can still edit and delete the tree without root).
   */
  Path write(Path root, Random r) throws IOException {
    List<String> ds = new ArrayList<>(dirs);
    Collections.shuffle(ds, r);
    for (String d : ds) {
      Files.createDirectories(root.resolve(d));
    }
    List<String> fs = new ArrayList<>(files.keySet());
    Collections.shuffle(fs, r);
    for (String f : fs) {
      Files.createDirectories(root.resolve(parent(f)));
      Files.write(root.resolve(f), files.get(f));
    }
    for (String f : fs) {
      scramble(root.resolve(f), r, "rw-");
    }
    for (String d : ds) {
      scramble(root.resolve(d), r, "rwx");
    }
    return root;
  }

  /** Writes the tree under {@code root} as it is, for properties that are not about order. */
  Path writePlain(Path root) throws IOException {
    for (String d : dirs) {
      Files.createDirectories(root.resolve(d));
    }
    for (Map.Entry<String, byte[]> f : files.entrySet()) {
      Files.createDirectories(root.resolve(parent(f.getKey())));
      Files.write(root.resolve(f.getKey()), f.getValue());
    }
    return root;
  }

  private static void scramble(Path p, Random r, String owner) throws IOException {
    long nanos = (long) (r.nextDouble() * 4e18);
    Files.setLastModifiedTime(p, FileTime.from(nanos, TimeUnit.NANOSECONDS));
    StringBuilder bits = new StringBuilder(owner);
    for (int i = 0; i < 6; i++) {
      bits.append(r.nextBoolean() ? "rwxrwx".charAt(i) : '-');
    }
    Set<PosixFilePermission> perms = PosixFilePermissions.fromString(bits.toString());
    Files.setPosixFilePermissions(p, perms);
  }

  /** Both versions as DESIGN §3 defines them, from the tree in memory. */
  DataVersion.Versions versions() {
    List<String> order = new ArrayList<>(files.keySet());
    order.sort(UTF8_ORDER);
    MessageDigest data = sha256();
    MessageDigest tree = sha256();
    for (String rel : order) {
      byte[] path = rel.getBytes(StandardCharsets.UTF_8);
      byte[] content = files.get(rel);
      data.update(ascii("path:"));
      data.update(path);
      data.update(ascii("\0data:"));
      data.update(content);
      data.update(ascii("\0"));
      tree.update(ascii("path:"));
      tree.update(path);
      tree.update(ascii("\0size:" + content.length + "\0"));
    }
    HexFormat hex = HexFormat.of();
    return new DataVersion.Versions(
        "sha256:" + hex.formatHex(data.digest()), "sha256:" + hex.formatHex(tree.digest()));
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }

  /** Removes {@code root} and everything under it. */
  static void delete(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> all = Files.walk(root)) {
      for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  @Override
  public String toString() {
    StringBuilder s = new StringBuilder("dirs " + dirs + ", files {");
    files.forEach((k, v) -> s.append('"').append(k).append("\": ").append(v.length).append("B, "));
    return s.append('}').toString();
  }
}
