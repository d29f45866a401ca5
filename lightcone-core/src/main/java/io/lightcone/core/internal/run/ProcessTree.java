package io.lightcone.core.internal.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A recipe started in a session of its own ({@code setsid}), so that its whole process tree — the
 * shell and everything it forks — is one process group that can be signalled at once.
 */
final class ProcessTree {
  private static final Path SETSID = Path.of("/usr/bin/setsid");

  private ProcessTree() {}

  /** The command that runs {@code shell} with {@code /bin/sh -c} as a process group leader. */
  static List<String> command(String shell) {
    return Files.isExecutable(SETSID)
        ? List.of(SETSID.toString(), "/bin/sh", "-c", shell)
        : List.of("/bin/sh", "-c", shell);
  }

  /**
   * Ends the process group led by {@code process}: SIGTERM, then SIGKILL after {@code graceMillis}
   * if anything is left. Also kills descendants that left the group.
   */
  static void kill(Process process, long graceMillis) {
    long pgid = process.pid();
    List<ProcessHandle> descendants = process.descendants().toList();
    signal("TERM", pgid);
    descendants.forEach(ProcessHandle::destroy);
    try {
      if (!process.waitFor(graceMillis, TimeUnit.MILLISECONDS)) {
        signal("KILL", pgid);
      }
      process.waitFor(graceMillis, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    // The group may outlive its leader (a child still running): make sure none is left.
    signal("KILL", pgid);
    descendants.forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
  }

  /** Sends a signal to a process group with kill(1); a group already gone is fine. */
  static void signal(String signal, long pgid) {
    try {
      Process kill =
          new ProcessBuilder("kill", "-" + signal, "--", "-" + pgid)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start();
      kill.waitFor(5, TimeUnit.SECONDS);
    } catch (IOException e) {
      // No kill(1): the caller still destroys the processes it knows.
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
