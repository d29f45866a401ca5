package io.lightcone.core.internal.run;

import io.lightcone.core.internal.container.ContainerTasks;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Recipes of a run that was killed outright (SIGKILL of the JVM) keep running in their own process
 * groups. Each running recipe is recorded as {@code .lightcone/running/<pgid>} with its start time;
 * the next run, holding the lock, ends the groups that are still the same processes.
 */
final class Orphans {
  private Orphans() {}

  static Path record(Path project, Process process) throws IOException {
    Path dir = CoreRuntime.runningDir(project);
    CoreRuntime.ensure(dir);
    Path file = dir.resolve(String.valueOf(process.pid()));
    Files.writeString(file, startOf(process.toHandle()).orElse(""));
    return file;
  }

  static void killLeftovers(Path project) throws IOException {
    Path dir = CoreRuntime.runningDir(project);
    if (!Files.isDirectory(dir)) {
      return;
    }
    ContainerTasks.removeLeftovers(dir);
    try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
      for (Path file : s) {
        String name = file.getFileName().toString();
        if (name.matches("\\d+")) {
          long pgid = Long.parseLong(name);
          String started = Files.readString(file).strip();
          Optional<ProcessHandle> leader = ProcessHandle.of(pgid);
          // Signal only if the leader is the recorded process (pids are reused).
          if (leader.isPresent() && startOf(leader.get()).orElse("-").equals(started)) {
            leader.get().descendants().forEach(ProcessHandle::destroyForcibly);
            ProcessTree.signal("KILL", pgid);
          }
        }
        Files.deleteIfExists(file);
      }
    }
  }

  private static Optional<String> startOf(ProcessHandle p) {
    return p.info().startInstant().map(Object::toString);
  }
}
