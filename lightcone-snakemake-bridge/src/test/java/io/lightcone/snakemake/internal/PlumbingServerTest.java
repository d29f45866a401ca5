package io.lightcone.snakemake.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** The plumbing server's protocol: one task per connection, a vanished client cancels its task. */
class PlumbingServerTest {
  private static SocketChannel connect(PlumbingServer server, String request) throws IOException {
    String[] address = server.address().split(":");
    SocketChannel c =
        SocketChannel.open(new InetSocketAddress(address[0], Integer.parseInt(address[1])));
    c.write(
        ByteBuffer.wrap(request.replace("TOKEN", server.token()).getBytes(StandardCharsets.UTF_8)));
    return c;
  }

  private static String answer(SocketChannel c) throws IOException {
    ByteBuffer buf = ByteBuffer.allocate(256);
    StringBuilder out = new StringBuilder();
    while (c.read(buf) >= 0) {
      buf.flip();
      out.append(StandardCharsets.UTF_8.decode(buf));
      buf.clear();
    }
    return out.toString();
  }

  @Test
  void request_runsTheTask_andAnswersItsExitCode() throws IOException {
    try (PlumbingServer server =
        PlumbingServer.start((task, cv, gone) -> task.equals("u/o") ? "0 succeeded" : "1 failed")) {
      try (SocketChannel ok = connect(server, "run TOKEN u/o sha256:ab\n");
          SocketChannel bad = connect(server, "run TOKEN u/x sha256:ab\n");
          SocketChannel nonsense = connect(server, "hello\n");
          SocketChannel stranger = connect(server, "run 0123456789abcdef u/o sha256:ab\n")) {
        assertThat(answer(ok)).isEqualTo("exit 0 succeeded\n");
        assertThat(answer(bad)).isEqualTo("exit 1 failed\n");
        assertThat(answer(nonsense)).isEqualTo("exit 2 bad request\n");
        assertThat(answer(stranger)).isEqualTo("exit 2 bad request\n");
      }
    }
  }

  /**
   * A server whose tasks count {@code running} down, then wait until they are cancelled and set
   * {@code ended} to whether they were.
   */
  private static PlumbingServer untilCancelled(CountDownLatch running, AtomicBoolean ended)
      throws IOException {
    return PlumbingServer.start(
        (task, cv, gone) -> {
          CountDownLatch cancelled = new CountDownLatch(1);
          gone.onCancel(cancelled::countDown);
          running.countDown();
          try {
            cancelled.await(60, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          ended.set(gone.isCancelled());
          return "1 cancelled";
        });
  }

  @Test
  void clientGoingAway_cancelsItsTask_andCloseWaitsForIt() throws Exception {
    CountDownLatch running = new CountDownLatch(1);
    AtomicBoolean ended = new AtomicBoolean();
    PlumbingServer server = untilCancelled(running, ended);
    SocketChannel client = connect(server, "run TOKEN u/o sha256:ab\n");
    assertThat(running.await(60, TimeUnit.SECONDS)).isTrue();
    client.close(); // as when snakemake's job is killed
    server.close();
    assertThat(ended).isTrue();
  }

  @Test
  void close_cancelsTasksInFlight_whoseClientsAreStillThere() throws Exception {
    CountDownLatch running = new CountDownLatch(1);
    AtomicBoolean ended = new AtomicBoolean();
    PlumbingServer server = untilCancelled(running, ended);
    try (SocketChannel client = connect(server, "run TOKEN u/o sha256:ab\n")) {
      assertThat(running.await(60, TimeUnit.SECONDS)).isTrue();
      server.close();
      assertThat(ended).isTrue();
    }
  }
}
