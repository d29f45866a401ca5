package io.lightcone.core.internal;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdInputStream;
import com.github.luben.zstd.ZstdOutputStream;
import com.github.luben.zstd.util.Native;
import io.lightcone.LightconeException;
import io.lightcone.spi.PrivateDirectories;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Zstandard, the one door to zstd-jni. zstd-jni ships its native library inside its jar and, left
 * to itself, copies it into {@code java.io.tmpdir} (on a shared machine, {@code /tmp}, which
 * everybody can write) before loading it: code loaded from a directory others can write is code
 * others may get to choose (docs/security.md). Every use goes through this class, which first
 * copies the library into a new directory of its own, made mode 0700 with an unpredictable name in
 * one step and checked to be ours and private, and loads it from there.
 */
public final class Compression {
  private static volatile boolean loaded;

  private Compression() {}

  /** A stream that compresses into {@code out} at {@code level} (1 fast to 19 small). */
  public static OutputStream compressing(OutputStream out, int level) throws IOException {
    load();
    return new ZstdOutputStream(out, level);
  }

  /** A stream that decompresses {@code in}. */
  public static InputStream decompressing(InputStream in) throws IOException {
    load();
    return new ZstdInputStream(in);
  }

  /** {@code bytes} compressed at {@code level} in one frame. */
  public static byte[] compress(byte[] bytes, int level) {
    load();
    return Zstd.compress(bytes, level);
  }

  /**
   * Loads the native library from a private directory, once per JVM; the directory and the copy are
   * removed when the JVM exits.
   *
   * @return the directory it was loaded from, or empty when it was loaded already
   * @throws LightconeException of kind ENVIRONMENT when no private directory can be made
   */
  static synchronized void load() {
    if (loaded) {
      return;
    }
    Path dir;
    try {
      dir =
          Files.createTempDirectory(
              "lightcone-zstd-",
              PosixFilePermissions.asFileAttribute(PrivateDirectories.OWNER_ONLY));
    } catch (IOException e) {
      throw new LightconeException(
          LightconeException.Kind.ENVIRONMENT,
          "cannot make a private directory for the zstd library: "
              + e.getMessage()
              + "; set java.io.tmpdir (-Djava.io.tmpdir=DIR) to a directory you can write",
          e);
    }
    PrivateDirectories.check(dir, true);
    // Deleted in reverse order of registration: the library copy (registered by zstd-jni after
    // this), then the directory.
    dir.toFile().deleteOnExit();
    Native.load(dir.toFile());
    loaded = true;
  }
}
