package io.lightcone.core.internal.hash;

import io.lightcone.core.internal.Environment;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Hashing in a JVM that runs without C2. {@code ./lc} starts the commands that read manifests and
 * specs ({@code status}, {@code plan}, ...) with C1 alone, which halves their start, but SHA-256
 * has no intrinsic under C1 and runs at about a tenth of its speed (150 MB/s here). So a tree
 * larger than {@link #WORTH} is hashed by a child JVM with the full JIT instead, which costs a JVM
 * start (about 0.2 s) and hashes at full speed.
 *
 * <p>The child is this class's {@link #main}: {@code DIR THREADS} in, {@code data_version
 * tree_version} or an error out.
 */
final class FullJit {
  /** Bytes above which a child JVM hashes faster than C1 in this one. */
  static final long WORTH = 64L << 20;

  /**
   * Whether this JVM compiles with C2: unless {@code ./lc} said otherwise. (Asking the JVM itself
   * through its management beans costs 20–40 ms of start-up, in every JVM that hashes.)
   */
  static final boolean HERE = !Environment.c1Only();

  private FullJit() {}

  /** {@link DataVersion#versions} of {@code dir}, computed by a child JVM with the full JIT. */
  static DataVersion.Versions versions(Path dir, int threads) throws IOException {
    Environment env = Environment.system();
    List<String> argv = new ArrayList<>();
    argv.add(Path.of(env.javaHome(), "bin", "java").toString());
    env.jvmOptions().stream()
        .filter(o -> !o.startsWith("-XX:TieredStopAtLevel="))
        .forEach(argv::add);
    argv.addAll(
        List.of(
            "-cp",
            env.classPath(),
            FullJit.class.getName(),
            dir.toAbsolutePath().toString(),
            Integer.toString(threads)));
    Process child = new ProcessBuilder(argv).redirectErrorStream(true).start();
    child.getOutputStream().close();
    try {
      String out;
      try (var output = child.getInputStream()) {
        out = new String(output.readAllBytes(), StandardCharsets.UTF_8).strip();
      }
      int exit = child.waitFor();
      String[] versions = out.substring(out.lastIndexOf('\n') + 1).split(" ");
      if (exit != 0 || versions.length != 2 || !versions[0].startsWith("sha256:")) {
        throw new IOException(out.isEmpty() ? "cannot hash " + dir + " (exit " + exit + ")" : out);
      }
      return new DataVersion.Versions(versions[0], versions[1]);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while hashing " + dir);
    } finally {
      child.destroyForcibly();
    }
  }

  /**
   * The child: prints the versions of {@code args[0]}, or else the error (the parent takes any
   * output that is not two versions for an error).
   */
  public static void main(String[] args) {
    try {
      DataVersion.Versions v = DataVersion.versions(Path.of(args[0]), Integer.parseInt(args[1]));
      System.out.println(v.dataVersion() + " " + v.treeVersion());
    } catch (IOException | RuntimeException e) {
      System.out.println(e.getMessage());
    }
  }
}
