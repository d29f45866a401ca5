package io.lightcone.core.internal.run;

import io.lightcone.spi.ProcessGroups;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A recipe started in a session of its own ({@code setsid}), so that its whole process tree — the
 * shell and everything it forks — is one process group that can be signalled at once.
 */
final class ProcessTree {
  private ProcessTree() {}

  /** The command that runs {@code shell} with {@code /bin/sh -c} as a process group leader. */
  static List<String> command(String shell) {
    return ProcessGroups.command(List.of("/bin/sh", "-c", shell));
  }

  /**
   * Ends the process group led by {@code process}: SIGTERM, then SIGKILL after {@code graceMillis}
   * if anything is left. Also kills descendants that left the group.
   */
  static void kill(Process process, long graceMillis) {
    long pgid = process.pid();
    List<ProcessHandle> descendants = process.descendants().toList();
    ProcessGroups.signal("TERM", pgid);
    descendants.forEach(ProcessHandle::destroy);
    try {
      if (!process.waitFor(graceMillis, TimeUnit.MILLISECONDS)) {
        ProcessGroups.signal("KILL", pgid);
      }
      process.waitFor(graceMillis, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    // The group may outlive its leader (a child still running): make sure none is left.
    ProcessGroups.signal("KILL", pgid);
    descendants.forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
  }
}
