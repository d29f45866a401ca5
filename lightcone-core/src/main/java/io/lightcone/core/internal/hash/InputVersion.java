package io.lightcone.core.internal.hash;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.util.concurrent.TimeUnit;

/**
 * The version of an input that is not an output of the project (DESIGN §3): {@code "missing"} when
 * the path does not exist, a directory's {@link DataVersion}, or for a file {@code
 * "mtime-size:<mtime_ns>-<size>"} — cheap, and what the Python tool records — or, in strict mode,
 * {@code "sha256:<hex>"} of its bytes. (An upstream output's version is the {@code data_version} of
 * its manifest, read by the caller.)
 */
public final class InputVersion {
  public static final String MISSING = "missing";

  private InputVersion() {}

  public static String external(Path path, boolean strict, int threads) throws IOException {
    if (!Files.exists(path)) {
      return MISSING;
    }
    if (Files.isDirectory(path)) {
      return DataVersion.of(path, threads);
    }
    if (strict) {
      MessageDigest d = Sha256.newDigest();
      byte[] buffer = new byte[256 * 1024];
      try (InputStream in = Files.newInputStream(path)) {
        int n;
        while ((n = in.read(buffer)) > 0) {
          d.update(buffer, 0, n);
        }
      }
      return Sha256.finish(d);
    }
    BasicFileAttributes a = Files.readAttributes(path, BasicFileAttributes.class);
    return mtimeSize(a.lastModifiedTime().to(TimeUnit.NANOSECONDS), a.size());
  }

  static String mtimeSize(long mtimeNanos, long size) {
    return "mtime-size:" + mtimeNanos + "-" + size;
  }
}
