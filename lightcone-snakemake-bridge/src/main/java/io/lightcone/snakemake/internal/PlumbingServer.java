package io.lightcone.snakemake.internal;

import io.lightcone.spi.CancellationSignal;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Serves the rules' plumbing clients (plumbing_client.sh) on a loopback TCP port, so that a task
 * runs in this process through the task runner — the same code as {@code lc task run} — instead of
 * in a JVM started per task. One connection is one task: the client sends {@code run TOKEN TASK_ID
 * CODE_VERSION}, the server answers {@code exit N [outcome]} when the task ended; a client that
 * goes away (its snakemake job killed) cancels its task.
 *
 * <p>TCP rather than a unix socket because bash reaches it with builtins alone ({@code
 * /dev/tcp/HOST/PORT}): a rule then costs one bash, where a Python client cost ~50 ms of cpu. Any
 * local user can connect to a loopback port, so a request must carry the random token this server
 * made, which only the processes it hands its environment to know.
 */
final class PlumbingServer implements AutoCloseable {
  /** Runs one task for a client; must honour {@code gone}. */
  interface Handler {
    /** Returns the exit code for the client (0 when the task ended ok) and a word on it. */
    String run(String task, String codeVersion, CancellationSignal gone);
  }

  /** How long closing waits for the tasks in flight to end once cancelled. */
  private static final long CLOSE_WAIT_MILLIS = 60_000;

  private static final int MAX_REQUEST = 4096;

  private final String token;
  private final ServerSocketChannel server;
  private final Handler handler;
  private final Thread acceptor;
  private final Set<SocketChannel> open = ConcurrentHashMap.newKeySet();
  private final Map<Thread, CancellationSignal> inFlight = new ConcurrentHashMap<>();
  private volatile boolean closed;

  private PlumbingServer(ServerSocketChannel server, Handler handler) {
    byte[] secret = new byte[16];
    new SecureRandom().nextBytes(secret);
    this.token = HexFormat.of().formatHex(secret);
    this.server = server;
    this.handler = handler;
    this.acceptor = new Thread(this::accept, "lightcone-plumbing-server");
    acceptor.setDaemon(true);
  }

  /** Listens on a free port of the loopback interface. */
  static PlumbingServer start(Handler handler) throws IOException {
    ServerSocketChannel channel = ServerSocketChannel.open();
    try {
      channel.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    } catch (IOException e) {
      channel.close();
      throw e;
    }
    PlumbingServer s = new PlumbingServer(channel, handler);
    s.acceptor.start();
    return s;
  }

  /** Where clients connect: {@code host:port} on the loopback interface. */
  String address() throws IOException {
    InetSocketAddress bound = (InetSocketAddress) server.getLocalAddress();
    return bound.getAddress().getHostAddress() + ":" + bound.getPort();
  }

  /** The secret every request must carry. */
  String token() {
    return token;
  }

  private void accept() {
    while (!closed) {
      SocketChannel client;
      try {
        client = server.accept();
      } catch (IOException e) {
        return; // closed
      }
      open.add(client);
      CancellationSignal gone = new CancellationSignal();
      Thread t = new Thread(() -> serve(client, gone), "lightcone-plumbing-task");
      t.setDaemon(true);
      // Known before it starts, so that close() finds every task in flight.
      inFlight.put(t, gone);
      t.start();
    }
  }

  /** One client: read its request, run the task while watching the connection, answer. */
  private void serve(SocketChannel client, CancellationSignal gone) {
    try (client) {
      String[] request = readLine(client).strip().split(" ");
      if (request.length != 4 || !request[0].equals("run") || !knows(request[1])) {
        write(client, "exit 2 bad request\n");
        return;
      }
      Thread watcher = new Thread(() -> watch(client, gone), "lightcone-plumbing-watch");
      watcher.setDaemon(true);
      watcher.start();
      String answer = handler.run(request[2], request[3], gone);
      write(client, "exit " + answer + "\n");
    } catch (IOException e) {
      // The client is gone; watch() cancelled its task.
    } finally {
      inFlight.remove(Thread.currentThread());
      open.remove(client);
    }
  }

  /** Whether a request's token is this server's, in constant time. */
  private boolean knows(String requestToken) {
    return MessageDigest.isEqual(
        token.getBytes(StandardCharsets.US_ASCII), requestToken.getBytes(StandardCharsets.UTF_8));
  }

  /** A client sends nothing after its request: a read that ends means it is gone. */
  private static void watch(SocketChannel client, CancellationSignal gone) {
    ByteBuffer one = ByteBuffer.allocate(1);
    try {
      while (client.read(one) >= 0) {
        one.clear();
      }
    } catch (IOException e) {
      // Closed by us after answering, or reset by a killed client: either way, done.
      if (!client.isOpen()) {
        return;
      }
    }
    if (client.isOpen()) {
      gone.cancel();
    }
  }

  private static String readLine(SocketChannel client) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    ByteBuffer one = ByteBuffer.allocate(1);
    while (line.size() < MAX_REQUEST) {
      one.clear();
      if (client.read(one) < 0) {
        break;
      }
      byte b = one.get(0);
      if (b == '\n') {
        break;
      }
      line.write(b);
    }
    return line.toString(StandardCharsets.UTF_8);
  }

  private static void write(SocketChannel client, String text) throws IOException {
    ByteBuffer out = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
    while (out.hasRemaining()) {
      client.write(out);
    }
  }

  /**
   * Stops serving: tasks still in flight (their clients killed with snakemake) are cancelled, and
   * waited for, so that none publishes after the report is made.
   */
  @Override
  public void close() {
    closed = true;
    try {
      server.close();
    } catch (IOException e) {
      // Closing a listening socket does not fail in a way that matters here.
    }
    try {
      acceptor.join(CLOSE_WAIT_MILLIS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    inFlight.values().forEach(CancellationSignal::cancel);
    long deadline = System.nanoTime() + CLOSE_WAIT_MILLIS * 1_000_000;
    boolean interrupted = false;
    for (Thread t : List.copyOf(inFlight.keySet())) {
      long left = (deadline - System.nanoTime()) / 1_000_000;
      while (t.isAlive() && left > 0) {
        try {
          t.join(left);
        } catch (InterruptedException e) {
          interrupted = true;
        }
        left = (deadline - System.nanoTime()) / 1_000_000;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    for (SocketChannel c : open) {
      try {
        c.close();
      } catch (IOException e) {
        // Already gone.
      }
    }
  }
}
