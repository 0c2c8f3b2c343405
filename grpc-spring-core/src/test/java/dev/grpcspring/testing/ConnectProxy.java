package dev.grpcspring.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An HTTP CONNECT proxy for tests, on blocking sockets: it reads {@code CONNECT host:port}, looks
 * the host up in its own table of names (so only the proxy can resolve them, proving the client
 * sent the name unresolved), answers, and relays bytes. It can refuse every tunnel with a given
 * status line, or demand a {@code Proxy-Authorization} value.
 */
public final class ConnectProxy implements AutoCloseable {
  private final ServerSocket listener;
  private final Map<String, Integer> names = new ConcurrentHashMap<>();
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();
  /** Every request head received, in order (the request line first). */
  public final List<String> requests = new CopyOnWriteArrayList<>();
  private volatile String refusal;
  private volatile String requiredAuthorization;

  public ConnectProxy() throws IOException {
    this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread acceptor = new Thread(this::acceptLoop, "connect-proxy-accept");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  /** The proxy's {@code host:port}. */
  public String address() {
    return "127.0.0.1:" + listener.getLocalPort();
  }

  /** Makes {@code name} known to the proxy (and only to it) as a loopback port. */
  public ConnectProxy map(String name, int port) {
    names.put(name, port);
    return this;
  }

  /** Answers every CONNECT with {@code statusLine} (such as {@code HTTP/1.1 502 Bad Gateway}). */
  public ConnectProxy refuse(String statusLine) {
    this.refusal = statusLine;
    return this;
  }

  /** Answers 407 unless the request carries exactly this {@code Proxy-Authorization}. */
  public ConnectProxy requireAuthorization(String value) {
    this.requiredAuthorization = value;
    return this;
  }

  /** The request lines received ({@code CONNECT host:port HTTP/1.1}). */
  public List<String> requestLines() {
    return requests.stream().map(r -> r.substring(0, r.indexOf("\r\n"))).toList();
  }

  private void acceptLoop() {
    while (!listener.isClosed()) {
      Socket client;
      try {
        client = listener.accept();
      } catch (IOException e) {
        return; // closed
      }
      sockets.add(client);
      Thread t = new Thread(() -> serve(client), "connect-proxy-conn");
      t.setDaemon(true);
      t.start();
    }
  }

  private void serve(Socket client) {
    try {
      InputStream in = client.getInputStream();
      OutputStream out = client.getOutputStream();
      String head = readHead(in);
      requests.add(head);
      String[] line = head.substring(0, head.indexOf("\r\n")).split(" ");
      if (refusal != null) {
        answer(out, refusal);
        client.close();
        return;
      }
      if (requiredAuthorization != null
          && !head.contains("\r\nProxy-Authorization: " + requiredAuthorization + "\r\n")) {
        answer(out, "HTTP/1.1 407 Proxy Authentication Required");
        client.close();
        return;
      }
      String target = line.length == 3 && line[0].equals("CONNECT") ? line[1] : "";
      int colon = target.lastIndexOf(':');
      Integer port = colon < 0 ? null : names.get(target.substring(0, colon));
      if (port == null) {
        answer(out, "HTTP/1.1 502 Bad Gateway");
        client.close();
        return;
      }
      Socket server = new Socket();
      server.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
      sockets.add(server);
      answer(out, "HTTP/1.1 200 Connection established");
      pump(server, client);
      pump(client, server);
    } catch (IOException e) {
      close(client);
    }
  }

  private static String readHead(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    while (matched < 4) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("client closed before the end of its request head");
      }
      head.write(b);
      matched = (b == '\r' && matched % 2 == 0) || (b == '\n' && matched % 2 == 1) ? matched + 1
          : (b == '\r' ? 1 : 0);
    }
    return head.toString(StandardCharsets.ISO_8859_1);
  }

  private static void answer(OutputStream out, String statusLine) throws IOException {
    out.write((statusLine + "\r\nContent-Length: 0\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
    out.flush();
  }

  private void pump(Socket from, Socket to) {
    Thread t = new Thread(() -> {
      byte[] buf = new byte[16 * 1024];
      try {
        InputStream in = from.getInputStream();
        OutputStream out = to.getOutputStream();
        int n;
        while ((n = in.read(buf)) >= 0) {
          out.write(buf, 0, n);
          out.flush();
        }
      } catch (IOException e) {
        // one side went away: close both below
      } finally {
        close(to);
        close(from);
      }
    }, "connect-proxy-pump");
    t.setDaemon(true);
    t.start();
  }

  private static void close(Socket s) {
    try {
      s.close();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Override
  public void close() throws IOException {
    listener.close();
    for (Socket s : sockets) {
      s.close();
    }
  }
}
