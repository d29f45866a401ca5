package io.lightcone.cli;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Which processes of given process groups are still alive, from {@code /proc}. Recipes run as
 * process group leaders ({@code setsid}), so a recipe's {@code $$} is its group's id, and every
 * process it started is in that group.
 */
final class ProcessGroups {
  private ProcessGroups() {}

  /** {@code pid (command)} of every live process whose group is one of {@code groups}. */
  static List<String> alive(Collection<Long> groups) {
    List<String> alive = new ArrayList<>();
    try (DirectoryStream<Path> proc = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
      for (Path p : proc) {
        String stat;
        try {
          stat = Files.readString(p.resolve("stat"));
        } catch (IOException gone) {
          continue; // ended while we looked
        }
        // pid (comm) state ppid pgrp ...; comm may hold spaces and parentheses.
        int close = stat.lastIndexOf(')');
        String[] fields = stat.substring(close + 2).split(" ");
        String state = fields[0];
        long pgrp = Long.parseLong(fields[2]);
        if (groups.contains(pgrp) && !state.equals("Z")) {
          alive.add(p.getFileName() + " " + stat.substring(stat.indexOf('('), close + 1));
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot read /proc", e);
    }
    return alive;
  }
}
