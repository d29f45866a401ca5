package io.lightcone.core.internal.hash;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Random;

/**
 * A command-line door to {@link DataVersion} for {@code bench/hash.sh} and for tests that need a
 * second JVM (another locale). It lives with the tests so that the product gains no plumbing.
 *
 * <pre>
 * java -cp lightcone-core/target/classes:lightcone-core/target/test-classes \
 *     io.lightcone.core.internal.hash.HashBench version DIR THREADS
 * </pre>
 *
 * <ul>
 *   <li>{@code version DIR THREADS}: prints {@code data_version tree_version}; the JVM's file-name
 *       encoding goes to stderr.
 *   <li>{@code time DIR THREADS RUNS}: RUNS timed runs in this JVM, one line of seconds each (JVM
 *       start excluded). The first runs with a cold JIT; the later ones show the warm speed.
 *   <li>{@code file PATH MIB SEED}: writes MIB MiB of seeded random bytes.
 *   <li>{@code tree DIR COUNT SEED}: writes COUNT files of 1–16 KiB in 100 directories.
 * </ul>
 */
public final class HashBench {
  private HashBench() {}

  public static void main(String[] args) throws IOException {
    switch (args.length == 0 ? "" : args[0]) {
      case "version" -> {
        System.err.println("sun.jnu.encoding=" + System.getProperty("sun.jnu.encoding"));
        DataVersion.Versions v = DataVersion.versions(Path.of(args[1]), Integer.parseInt(args[2]));
        System.out.println(v.dataVersion() + " " + v.treeVersion());
      }
      case "time" -> {
        Path dir = Path.of(args[1]);
        int threads = Integer.parseInt(args[2]);
        for (int i = Integer.parseInt(args[3]); i > 0; i--) {
          long start = System.nanoTime();
          DataVersion.versions(dir, threads);
          System.out.printf(Locale.ROOT, "%.3f%n", (System.nanoTime() - start) / 1e9);
        }
      }
      case "file" -> {
        Random r = new Random(Long.parseLong(args[3]));
        byte[] chunk = new byte[1 << 20];
        try (OutputStream out = Files.newOutputStream(Path.of(args[1]))) {
          for (int i = Integer.parseInt(args[2]); i > 0; i--) {
            r.nextBytes(chunk);
            out.write(chunk);
          }
        }
      }
      case "tree" -> {
        Path root = Path.of(args[1]);
        Random r = new Random(Long.parseLong(args[3]));
        for (int i = 0, n = Integer.parseInt(args[2]); i < n; i++) {
          Path dir = Files.createDirectories(root.resolve(String.format("d%02d", i % 100)));
          byte[] content = new byte[1024 + r.nextInt(15 * 1024 + 1)];
          r.nextBytes(content);
          Files.write(dir.resolve(String.format("f%05d.dat", i)), content);
        }
      }
      default -> {
        System.err.println("usage: HashBench version|time|file|tree ... (see the class comment)");
        System.exit(2);
      }
    }
  }
}
