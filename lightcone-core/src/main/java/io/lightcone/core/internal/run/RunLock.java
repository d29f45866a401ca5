package io.lightcone.core.internal.run;

import io.lightcone.LightconeException;
import io.lightcone.ProjectLockedException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.OptionalLong;

/**
 * One execution per project at a time: an OS file lock on {@code .lightcone/lock}. The kernel drops
 * the lock when its holder dies, so a crashed run never blocks the next one; the holder's pid is
 * written into the file for the message the second run gets.
 */
final class RunLock implements AutoCloseable {
  private final FileChannel channel;
  private final FileLock lock;

  private RunLock(FileChannel channel, FileLock lock) {
    this.channel = channel;
    this.lock = lock;
  }

  public static RunLock acquire(Path project) {
    Path file = project.resolve(".lightcone/lock");
    try {
      Files.createDirectories(file.getParent());
      FileChannel ch =
          FileChannel.open(
              file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
      FileLock lock;
      try {
        lock = ch.tryLock();
      } catch (OverlappingFileLockException e) {
        lock = null; // held by this very process
      }
      if (lock == null) {
        String holder = new String(Files.readAllBytes(file), StandardCharsets.UTF_8).strip();
        ch.close();
        throw new ProjectLockedException(
            file,
            holder.matches("\\d{1,18}")
                ? OptionalLong.of(Long.parseLong(holder))
                : OptionalLong.empty());
      }
      ch.truncate(0);
      ch.write(
          ByteBuffer.wrap(
              String.valueOf(ProcessHandle.current().pid()).getBytes(StandardCharsets.UTF_8)),
          0);
      ch.force(false);
      return new RunLock(ch, lock);
    } catch (IOException e) {
      throw new LightconeException(
          LightconeException.Kind.ENVIRONMENT, "cannot lock " + file + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    try {
      channel.truncate(0);
      lock.release();
      channel.close();
    } catch (IOException e) {
      // Closing the channel releases the lock in any case.
    }
  }
}
