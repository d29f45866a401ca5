package io.lightcone.core.internal.run;

import io.lightcone.core.internal.container.ContainerTasks;
import io.lightcone.spi.ProcessGroups;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Recipes of a run that was killed outright (SIGKILL of the JVM) keep running in their own process
 * groups. Each running recipe is recorded under {@code .lightcone/running/}, with its start time;
 * the next run, holding the lock, ends the groups that are still the same processes.
 *
 * <p>A record is a line {@code <pgid> <start>} in a slot file {@code slot-<jvm pid>-<n>}, one slot
 * per recipe running at once, rewritten in place for the next recipe and emptied when it ends: no
 * file is created or deleted per task. A file named {@code <pgid>} holding the start time (how
 * other tools and earlier versions record a group) is honoured too.
 */
final class Orphans implements AutoCloseable {
  private static final String SLOT = "slot-";

  private final Path dir;
  private final String prefix = SLOT + ProcessHandle.current().pid() + "-";
  private final AtomicInteger next = new AtomicInteger();
  private final ConcurrentLinkedQueue<Slot> free = new ConcurrentLinkedQueue<>();
  private final ConcurrentLinkedQueue<Slot> all = new ConcurrentLinkedQueue<>();

  Orphans(Path project) {
    this.dir = CoreRuntime.runningDir(project);
  }

  /** Where one recipe at a time is recorded; give it back with {@link Slot#close()}. */
  final class Slot implements AutoCloseable {
    private final Path file;
    private final FileChannel channel;

    private Slot(Path file) throws IOException {
      this.file = file;
      this.channel =
          FileChannel.open(
              file,
              StandardOpenOption.CREATE,
              StandardOpenOption.WRITE,
              StandardOpenOption.TRUNCATE_EXISTING);
    }

    /** Records {@code process} as the leader of a group to end if this JVM dies. */
    void record(Process process) throws IOException {
      byte[] line =
          (process.pid() + " " + startOf(process.toHandle()).orElse("") + "\n")
              .getBytes(StandardCharsets.UTF_8);
      channel.truncate(0);
      channel.write(ByteBuffer.wrap(line), 0);
    }

    /** The recipe ended: forget it, and let the next recipe use this slot. */
    @Override
    public void close() throws IOException {
      try {
        channel.truncate(0);
      } finally {
        free.add(this);
      }
    }

    private void delete() throws IOException {
      channel.close();
      Files.deleteIfExists(file);
    }
  }

  /** A free slot, made when every slot is in use. */
  Slot slot() throws IOException {
    Slot s = free.poll();
    if (s != null) {
      return s;
    }
    CoreRuntime.ensure(dir);
    s = new Slot(dir.resolve(prefix + next.getAndIncrement()));
    all.add(s);
    return s;
  }

  /** Removes this JVM's slot files; call when no recipe runs any more. */
  @Override
  public void close() throws IOException {
    IOException first = null;
    for (Slot s : all) {
      try {
        s.delete();
      } catch (IOException e) {
        first = first == null ? e : first;
      }
    }
    all.clear();
    free.clear();
    if (first != null) {
      throw first;
    }
  }

  /**
   * Ends what killed runs left running: the recipes recorded by a process that is gone. Those of a
   * process still alive are left alone: a task of a detached SLURM run, run by {@code lc task run}
   * while no run holds the lock, is at work, not left over.
   */
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
          kill(Long.parseLong(name), Files.readString(file).strip());
        } else if (name.startsWith(SLOT) && ownerAlive(name)) {
          continue;
        } else if (name.startsWith(SLOT)) {
          for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            String[] f = line.strip().split(" ", 2);
            if (f.length == 2 && f[0].matches("\\d+")) {
              kill(Long.parseLong(f[0]), f[1]);
            }
          }
        }
        Files.deleteIfExists(file);
      }
    }
  }

  /** Whether the JVM whose slot file this is ({@code slot-<pid>-<n>}) still runs here. */
  private static boolean ownerAlive(String slotName) {
    String[] f = slotName.substring(SLOT.length()).split("-", 2);
    try {
      return ProcessHandle.of(Long.parseLong(f[0])).map(ProcessHandle::isAlive).orElse(false);
    } catch (NumberFormatException e) {
      return false;
    }
  }

  /** Kills the group {@code pgid} if its leader is still the process that started at {@code at}. */
  private static void kill(long pgid, String started) {
    Optional<ProcessHandle> leader = ProcessHandle.of(pgid);
    // Signal only if the leader is the recorded process (pids are reused).
    if (leader.isPresent() && startOf(leader.get()).orElse("-").equals(started)) {
      leader.get().descendants().forEach(ProcessHandle::destroyForcibly);
      ProcessGroups.signal("KILL", pgid);
    }
  }

  private static Optional<String> startOf(ProcessHandle p) {
    return p.info().startInstant().map(Object::toString);
  }
}
