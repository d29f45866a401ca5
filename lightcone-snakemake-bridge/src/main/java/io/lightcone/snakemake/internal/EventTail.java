package io.lightcone.snakemake.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Follows the events file that Lightcone's log handler appends to inside snakemake, and hands each
 * complete line, parsed, to a consumer on one thread of its own. A file rather than a pipe: a
 * snakemake that dies before loading the handler cannot block the reader, and a reader that falls
 * behind cannot block snakemake.
 */
final class EventTail implements AutoCloseable {
  private static final long POLL_MILLIS = 50;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path file;
  private final Consumer<JsonNode> consumer;
  private final Thread thread;
  private final CountDownLatch stop = new CountDownLatch(1);
  private final ByteArrayOutputStream partial = new ByteArrayOutputStream();
  private long position;

  EventTail(Path file, Consumer<JsonNode> consumer) {
    this.file = file;
    this.consumer = consumer;
    this.thread = new Thread(this::follow, "lightcone-snakemake-events");
    thread.setDaemon(true);
    thread.start();
  }

  private void follow() {
    try {
      while (!stop.await(POLL_MILLIS, TimeUnit.MILLISECONDS)) {
        readNew();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    readNew(); // what was written before snakemake ended
  }

  private void readNew() {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
      int n;
      while ((n = ch.read(buf, position)) > 0) {
        position += n;
        buf.flip();
        while (buf.hasRemaining()) {
          byte b = buf.get();
          if (b == '\n') {
            line(partial.toString(StandardCharsets.UTF_8));
            partial.reset();
          } else {
            partial.write(b);
          }
        }
        buf.clear();
      }
    } catch (IOException e) {
      // Not there yet, or gone: progress pauses, outcomes do not depend on it.
    }
  }

  private void line(String line) {
    if (line.isBlank()) {
      return;
    }
    JsonNode event;
    try {
      event = JSON.readTree(line);
    } catch (IOException e) {
      return; // not an event of ours
    }
    try {
      consumer.accept(event);
    } catch (RuntimeException e) {
      // A bad event must not end progress for the rest of the run.
    }
  }

  /** Reads what is left and stops; the consumer is called no more after this returns. */
  @Override
  public void close() {
    stop.countDown();
    boolean interrupted = false;
    while (true) {
      try {
        thread.join();
        break;
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }
}
