package io.lightcone.dask;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.BooleanSupplier;

/** The process table, from {@code /proc}, and bounded waiting without sleeps that synchronise. */
final class Procs {
  private Procs() {}

  /**
   * {@code pid cmdline} of every live (non-zombie) process whose command line holds {@code text}.
   */
  static List<String> withArgument(String text) {
    List<String> found = new ArrayList<>();
    for (Path p : pids()) {
      try {
        String cmd =
            new String(Files.readAllBytes(p.resolve("cmdline")), StandardCharsets.UTF_8)
                .replace('\0', ' ');
        if (cmd.contains(text) && !zombie(p)) {
          found.add(p.getFileName() + " " + cmd.strip());
        }
      } catch (IOException gone) {
        // ended while we looked
      }
    }
    return found;
  }

  /** The pids of {@code pids} that are still alive (non-zombie). */
  static List<Long> alive(Collection<Long> pids) {
    List<Long> alive = new ArrayList<>();
    for (long pid : pids) {
      Path p = Path.of("/proc/" + pid);
      if (Files.exists(p) && !zombie(p)) {
        alive.add(pid);
      }
    }
    return alive;
  }

  private static boolean zombie(Path proc) {
    try {
      String stat = Files.readString(proc.resolve("stat"));
      return stat.substring(stat.lastIndexOf(')') + 2).startsWith("Z");
    } catch (IOException | RuntimeException gone) {
      return true;
    }
  }

  private static List<Path> pids() {
    List<Path> all = new ArrayList<>();
    try (DirectoryStream<Path> s = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
      s.forEach(all::add);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read /proc", e);
    }
    return all;
  }

  /** Polls {@code condition} every 50 ms until it holds or {@code timeout} passes. */
  static boolean await(Duration timeout, BooleanSupplier condition) {
    long end = System.nanoTime() + timeout.toNanos();
    while (true) {
      if (condition.getAsBoolean()) {
        return true;
      }
      if (System.nanoTime() > end) {
        return false;
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
  }
}
