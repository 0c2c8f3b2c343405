package dev.grpcspring.benchmarks.resilience;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A TCP proxy in front of the server that {@code chaos} uses to break connections: it can reset
 * every connection (RST, not FIN) and stall, that is stop reading in both directions for a while
 * with the sockets left open, as a peer that hangs does.
 */
final class ChaosProxy implements AutoCloseable {
  private final ServerSocket listener;
  private final int targetPort;
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();
  private volatile long stalledUntilNanos = System.nanoTime();

  ChaosProxy(int targetPort) throws IOException {
    this.targetPort = targetPort;
    this.listener = new ServerSocket(0, 200, InetAddress.getLoopbackAddress());
    Thread acceptor = new Thread(this::acceptLoop, "chaos-proxy-accept");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  int port() {
    return listener.getLocalPort();
  }

  /** Closes every connection with a TCP reset; returns how many sockets it reset. */
  int resetAll() {
    int n = 0;
    for (Socket s : sockets) {
      try {
        s.setSoLinger(true, 0); // linger 0: close sends RST
      } catch (IOException e) {
        // Already closed: nothing to reset.
        sockets.remove(s);
        continue;
      }
      close(s);
      n++;
    }
    return n;
  }

  /** Stops forwarding bytes (in both directions) for {@code nanos}; the sockets stay open. */
  void stall(long nanos) {
    stalledUntilNanos = System.nanoTime() + nanos;
  }

  private void acceptLoop() {
    while (!listener.isClosed()) {
      Socket client;
      try {
        client = listener.accept();
      } catch (IOException e) {
        return; // closed by close()
      }
      Socket server = new Socket();
      try {
        server.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort), 1000);
      } catch (IOException e) {
        // The server is down (killed by chaos): the client sees its connection closed.
        close(client);
        close(server);
        continue;
      }
      sockets.add(client);
      sockets.add(server);
      pump(client, server);
      pump(server, client);
    }
  }

  private void pump(Socket from, Socket to) {
    Thread t = new Thread(() -> {
      byte[] buf = new byte[32 * 1024];
      try {
        InputStream in = from.getInputStream();
        OutputStream out = to.getOutputStream();
        while (true) {
          long stall = stalledUntilNanos - System.nanoTime();
          if (stall > 0) {
            LockSupport.parkNanos(Math.min(stall, TimeUnit.MILLISECONDS.toNanos(50)));
            continue;
          }
          int n = in.read(buf);
          if (n < 0) {
            break;
          }
          out.write(buf, 0, n);
          out.flush();
        }
      } catch (IOException e) {
        // Reset or closed by the other side: end both below.
      } finally {
        close(from);
        close(to);
      }
    }, "chaos-proxy-pump");
    t.setDaemon(true);
    t.start();
  }

  private void close(Socket s) {
    sockets.remove(s);
    try {
      s.close();
    } catch (IOException e) {
      // A socket that fails to close is gone as far as the proxy is concerned.
    }
  }

  @Override
  public void close() throws IOException {
    listener.close();
    for (Socket s : sockets) {
      close(s);
    }
  }
}
