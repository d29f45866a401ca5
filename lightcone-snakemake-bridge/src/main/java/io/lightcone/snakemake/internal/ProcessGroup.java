package io.lightcone.snakemake.internal;

import io.lightcone.spi.ProcessGroups;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Snakemake started in a session of its own ({@code setsid}), so that it and the job shells it
 * forks are one process group, and the stop that leaves nothing behind. Snakemake alone is not
 * enough to signal: on SIGTERM it waits for its running jobs, and each job's recipe runs in yet
 * another session (the task runner's), which a signal to Snakemake's group does not reach.
 */
final class ProcessGroup {
  private ProcessGroup() {}

  /**
   * Ends {@code leader} and everything that descends from it: SIGTERM to its group, to the group of
   * each descendant (the recipes' sessions) and to each descendant; after {@code grace}, SIGKILL to
   * the same and to whatever was started meanwhile. The descendants are listed before the first
   * signal, because a recipe whose parent dies is re-parented and is no descendant any more.
   */
  static void terminate(Process leader, Duration grace) {
    Set<ProcessHandle> seen = new LinkedHashSet<>(leader.descendants().toList());
    Set<Long> groups = groups(leader, seen);
    groups.forEach(g -> ProcessGroups.signal("TERM", g));
    seen.forEach(ProcessHandle::destroy);
    try {
      leader.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    List<ProcessHandle> later = leader.descendants().toList();
    seen.addAll(later);
    groups.addAll(groups(leader, later));
    groups.forEach(g -> ProcessGroups.signal("KILL", g));
    seen.forEach(ProcessHandle::destroyForcibly);
    leader.destroyForcibly();
  }

  /**
   * Kills what is left of the group {@code leader} led, once it has ended: when snakemake dies
   * abruptly its job shells and plumbing processes live on, and must not publish after the report
   * was made. The recipes they ran are in sessions of their own; the task runner recorded them and
   * the end of the execution ends them.
   */
  static void reap(Process leader) {
    if (ProcessGroups.available()) {
      ProcessGroups.signal("KILL", leader.pid());
    }
  }

  /** The process groups of {@code leader} and {@code processes}, never this JVM's own. */
  private static Set<Long> groups(Process leader, Iterable<ProcessHandle> processes) {
    Set<Long> groups = new LinkedHashSet<>();
    Optional<Long> own = groupOf(ProcessHandle.current().pid());
    Optional<Long> leaderGroup = groupOf(leader.pid());
    leaderGroup.ifPresent(groups::add);
    for (ProcessHandle p : processes) {
      groupOf(p.pid()).ifPresent(groups::add);
    }
    // Without setsid the leader shares this JVM's group: signalling it would end the caller.
    own.ifPresent(groups::remove);
    if (own.isEmpty()) {
      groups.clear(); // cannot tell which group is ours: signal processes one by one only
    }
    return groups;
  }

  /** The process group of {@code pid}, from {@code /proc/<pid>/stat} (Linux). */
  static Optional<Long> groupOf(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      // pid (comm) state ppid pgrp ...: comm may hold spaces and parentheses, so parse after the
      // last closing parenthesis.
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return Optional.of(Long.parseLong(fields[2]));
    } catch (IOException | RuntimeException e) {
      return Optional.empty(); // gone already, or not Linux
    }
  }
}
