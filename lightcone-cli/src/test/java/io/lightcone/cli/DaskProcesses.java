package io.lightcone.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The live processes of Dask runs, from {@code /proc}: the bridge's Python processes (keeper,
 * workers, sidecar, task guards), {@code srun} and {@code slurmstepd}, and anything whose command
 * line names a given project. Zombies do not count: they are dead, waiting to be reaped.
 */
final class DaskProcesses {
  static final Pattern DASK =
      Pattern.compile("lightcone-dask[-.]|lightcone_dask|^srun |slurmstepd");

  private DaskProcesses() {}

  /** {@code pid command line} of every live process whose command line matches {@code pattern}. */
  static List<String> matching(Pattern pattern) {
    List<String> found = new ArrayList<>();
    long self = ProcessHandle.current().pid();
    try (DirectoryStream<Path> proc = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
      for (Path p : proc) {
        try {
          String stat = Files.readString(p.resolve("stat"));
          if (stat.substring(stat.lastIndexOf(')') + 2).startsWith("Z")
              || p.getFileName().toString().equals(String.valueOf(self))) {
            continue;
          }
          String cmd =
              new String(Files.readAllBytes(p.resolve("cmdline")), StandardCharsets.UTF_8)
                  .replace('\0', ' ')
                  .strip();
          if (pattern.matcher(cmd).find()) {
            found.add(p.getFileName() + " " + (cmd.length() > 160 ? cmd.substring(0, 160) : cmd));
          }
        } catch (IOException | RuntimeException gone) {
          // ended while we looked
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot read /proc", e);
    }
    return found;
  }

  /** Whether {@code pid} is a live process (not a zombie). */
  static boolean alive(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      return !stat.substring(stat.lastIndexOf(')') + 2).startsWith("Z");
    } catch (IOException gone) {
      return false;
    }
  }

  /** The Dask processes that are not in {@code before}, and those naming {@code project}. */
  static List<String> newSince(List<String> before, Path project) {
    List<String> left = new ArrayList<>(matching(DASK));
    left.removeAll(before);
    for (String p : matching(Pattern.compile(Pattern.quote(project.toString())))) {
      if (!left.contains(p)) {
        left.add(p);
      }
    }
    return left;
  }
}
