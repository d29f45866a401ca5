package io.lightcone.spi;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Processes started as the leader of a session of their own ({@code setsid}), so that each, with
 * everything it forks, is one process group that can be signalled at once: the task runner's
 * recipes, Snakemake, Dask's processes.
 *
 * <pre>{@code
 * Process p = new ProcessBuilder(ProcessGroups.command(List.of("sh", "-c", recipe))).start();
 * ProcessGroups.signal("TERM", p.pid());
 * }</pre>
 */
public final class ProcessGroups {
  private static final Path SETSID = Path.of("/usr/bin/setsid");

  private ProcessGroups() {}

  /** Whether processes can have a session of their own here (setsid(1) is installed). */
  public static boolean available() {
    return Files.isExecutable(SETSID);
  }

  /**
   * {@code argv} made to run as the leader of a new session and process group, when {@link
   * #available()}; else {@code argv} itself. setsid(1) does not fork when its caller leads no group
   * (a child of the JVM does not), so the pid Java sees is the new group's id.
   */
  public static List<String> command(List<String> argv) {
    if (!available()) {
      return List.copyOf(argv);
    }
    List<String> out = new ArrayList<>();
    out.add(SETSID.toString());
    out.addAll(argv);
    return List.copyOf(out);
  }

  /**
   * Sends {@code signal} ({@code TERM}, {@code KILL}, ...) to process group {@code pgid} with
   * kill(1), waiting at most 5 s for it. A group already gone is fine.
   *
   * @return false when kill(1) could not run, so the caller should signal the processes it knows
   */
  public static boolean signal(String signal, long pgid) {
    try {
      Process kill =
          new ProcessBuilder("kill", "-" + signal, "--", "-" + pgid)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start();
      kill.waitFor(5, TimeUnit.SECONDS);
      return true;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return true;
    }
  }
}
