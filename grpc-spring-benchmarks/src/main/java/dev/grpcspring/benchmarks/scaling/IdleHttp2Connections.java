package dev.grpcspring.benchmarks.scaling;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Idle HTTP/2 connections and idle gRPC streams held open against a server, for measuring what
 * the server keeps per connection and per stream. Written by hand on plain sockets, so the
 * client side costs a file descriptor and a few bytes per connection and no client runtime is
 * measured or needed: each connection sends the cleartext HTTP/2 preface with empty SETTINGS,
 * waits for the server's SETTINGS and acknowledges them; each stream is one HEADERS frame of a
 * {@code StreamingCall} request (no message, no end of stream), so the server has accepted the
 * call and waits for its first message.
 */
public final class IdleHttp2Connections implements AutoCloseable {
  /** The method every idle stream calls: bidirectional, so the call stays open without data. */
  static final String STREAMING_PATH = "/grpc.testing.BenchmarkService/StreamingCall";
  private static final byte[] PREFACE =
      "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
  private static final int TYPE_DATA = 0x0;
  private static final int TYPE_HEADERS = 0x1;
  private static final int TYPE_RST_STREAM = 0x3;
  private static final int TYPE_SETTINGS = 0x4;
  private static final int TYPE_PING = 0x6;
  private static final int TYPE_GOAWAY = 0x7;
  private static final int FLAG_ACK = 0x1;
  private static final int FLAG_END_STREAM = 0x1;
  private static final int FLAG_END_HEADERS = 0x4;
  private static final int SETTINGS_MAX_CONCURRENT_STREAMS = 0x3;
  private static final int HANDSHAKE_TIMEOUT_MILLIS = 10_000;

  /**
   * What {@link #check()} found on the connections after they sat idle: connections the server
   * closed, streams it reset or ended (HEADERS or DATA with END_STREAM: it answered the call
   * instead of waiting for its message), and GOAWAY frames.
   */
  public record Health(int open, int closed, int resetStreams, int endedStreams, int goaways) {
    /** Whether every connection and stream is still open and idle. */
    public boolean allOpen() {
      return closed == 0 && resetStreams == 0 && endedStreams == 0 && goaways == 0;
    }
  }

  private final String host;
  private final int port;
  private final List<Connection> connections = new ArrayList<>();
  private String stoppedBecause;

  private static final class Connection {
    final Socket socket;
    final InputStream in;
    final OutputStream out;
    final long maxConcurrentStreams;
    int nextStreamId = 1;
    int streams;
    /** Bytes read but not yet a whole frame. */
    final ByteArrayOutputStream pending = new ByteArrayOutputStream();

    Connection(Socket socket, long maxConcurrentStreams) throws IOException {
      this.socket = socket;
      this.in = socket.getInputStream();
      this.out = socket.getOutputStream();
      this.maxConcurrentStreams = maxConcurrentStreams;
    }
  }

  public IdleHttp2Connections(String host, int port) {
    this.host = host;
    this.port = port;
  }

  /**
   * Opens connections until {@code count} are open, or until this process cannot open another
   * (the file-descriptor limit, most often: {@link #stoppedBecause()} says). Returns the number
   * open.
   */
  public int open(int count) throws IOException {
    while (connections.size() < count) {
      Socket socket = new Socket();
      try {
        socket.connect(new InetSocketAddress(host, port), HANDSHAKE_TIMEOUT_MILLIS);
      } catch (IOException e) {
        socket.close();
        if (connections.isEmpty()) {
          throw e;
        }
        stoppedBecause = "connection " + (connections.size() + 1) + " failed: " + e.getMessage();
        break;
      }
      try {
        connections.add(handshake(socket));
      } catch (IOException | RuntimeException e) {
        socket.close();
        throw e;
      }
    }
    return connections.size();
  }

  /** Why {@link #open} stopped short of the count asked for, or null. */
  public String stoppedBecause() {
    return stoppedBecause;
  }

  public int connections() {
    return connections.size();
  }

  private Connection handshake(Socket socket) throws IOException {
    socket.setTcpNoDelay(true);
    socket.setSoTimeout(HANDSHAKE_TIMEOUT_MILLIS);
    OutputStream out = socket.getOutputStream();
    ByteArrayOutputStream hello = new ByteArrayOutputStream();
    hello.write(PREFACE);
    frameHeader(hello, 0, TYPE_SETTINGS, 0, 0);
    out.write(hello.toByteArray());
    out.flush();
    InputStream in = socket.getInputStream();
    // The server's preface is a SETTINGS frame; it may be followed by anything else.
    byte[] header = in.readNBytes(9);
    if (header.length < 9) {
      throw new IOException("The server at " + host + ":" + port + " closed the connection"
          + " instead of answering the HTTP/2 preface");
    }
    int length = ((header[0] & 0xff) << 16) | ((header[1] & 0xff) << 8) | (header[2] & 0xff);
    int type = header[3] & 0xff;
    if (type != TYPE_SETTINGS || (header[4] & FLAG_ACK) != 0) {
      throw new IOException("The server at " + host + ":" + port + " answered the HTTP/2"
          + " preface with frame type " + type + ", not SETTINGS");
    }
    byte[] payload = in.readNBytes(length);
    long maxStreams = Long.MAX_VALUE;
    for (int i = 0; i + 6 <= payload.length; i += 6) {
      int id = ((payload[i] & 0xff) << 8) | (payload[i + 1] & 0xff);
      long value = ((payload[i + 2] & 0xffL) << 24) | ((payload[i + 3] & 0xff) << 16)
          | ((payload[i + 4] & 0xff) << 8) | (payload[i + 5] & 0xff);
      if (id == SETTINGS_MAX_CONCURRENT_STREAMS) {
        maxStreams = value;
      }
    }
    ByteArrayOutputStream ack = new ByteArrayOutputStream();
    frameHeader(ack, 0, TYPE_SETTINGS, FLAG_ACK, 0);
    out.write(ack.toByteArray());
    out.flush();
    return new Connection(socket, maxStreams);
  }

  /**
   * Opens {@code total} idle streams, at most {@code perConnection} on a connection (fewer when
   * the server allows fewer), filling connections in order. Returns the number opened: fewer than
   * asked when the connections cannot hold them all.
   */
  public int openStreams(int total, int perConnection) throws IOException {
    int opened = 0;
    for (Connection c : connections) {
      long room = Math.min(perConnection, c.maxConcurrentStreams) - c.streams;
      if (room <= 0) {
        continue;
      }
      int n = (int) Math.min(room, total - opened);
      ByteArrayOutputStream frames = new ByteArrayOutputStream();
      byte[] block = requestHeaders(host + ":" + port);
      for (int i = 0; i < n; i++) {
        frameHeader(frames, block.length, TYPE_HEADERS, FLAG_END_HEADERS, c.nextStreamId);
        frames.write(block);
        c.nextStreamId += 2;
      }
      c.out.write(frames.toByteArray());
      c.out.flush();
      c.streams += n;
      opened += n;
      if (opened == total) {
        break;
      }
    }
    return opened;
  }

  /**
   * Reads what the server sent while the connections sat idle: counts connections it closed,
   * streams it reset or ended and GOAWAYs, and answers its PINGs. Takes about a millisecond per connection
   * with nothing to read.
   */
  public Health check() throws IOException {
    int closed = 0;
    int resets = 0;
    int ended = 0;
    int goaways = 0;
    byte[] buffer = new byte[16 * 1024];
    for (Connection c : connections) {
      c.socket.setSoTimeout(1);
      boolean eof = false;
      while (true) {
        int n;
        try {
          n = c.in.read(buffer);
        } catch (SocketTimeoutException e) {
          break;
        } catch (IOException e) {
          eof = true;
          break;
        }
        if (n < 0) {
          eof = true;
          break;
        }
        c.pending.write(buffer, 0, n);
      }
      byte[] bytes = c.pending.toByteArray();
      int at = 0;
      while (at + 9 <= bytes.length) {
        int length = ((bytes[at] & 0xff) << 16) | ((bytes[at + 1] & 0xff) << 8)
            | (bytes[at + 2] & 0xff);
        if (at + 9 + length > bytes.length) {
          break;
        }
        int type = bytes[at + 3] & 0xff;
        int flags = bytes[at + 4] & 0xff;
        if ((type == TYPE_HEADERS || type == TYPE_DATA) && (flags & FLAG_END_STREAM) != 0) {
          ended++;
        } else if (type == TYPE_RST_STREAM) {
          resets++;
        } else if (type == TYPE_GOAWAY) {
          goaways++;
        } else if (type == TYPE_PING && (flags & FLAG_ACK) == 0 && !eof) {
          ByteArrayOutputStream pong = new ByteArrayOutputStream();
          frameHeader(pong, 8, TYPE_PING, FLAG_ACK, 0);
          pong.write(bytes, at + 9, 8);
          c.out.write(pong.toByteArray());
          c.out.flush();
        }
        at += 9 + length;
      }
      c.pending.reset();
      c.pending.write(bytes, at, bytes.length - at);
      if (eof) {
        closed++;
      }
    }
    return new Health(connections.size() - closed, closed, resets, ended, goaways);
  }

  /** The request headers of a StreamingCall, HPACK literals without indexing or Huffman. */
  static byte[] requestHeaders(String authority) {
    ByteArrayOutputStream block = new ByteArrayOutputStream();
    literal(block, ":method", "POST");
    literal(block, ":scheme", "http");
    literal(block, ":path", STREAMING_PATH);
    literal(block, ":authority", authority);
    literal(block, "content-type", "application/grpc");
    literal(block, "te", "trailers");
    return block.toByteArray();
  }

  private static void literal(ByteArrayOutputStream block, String name, String value) {
    block.write(0x00); // literal header field without indexing, new name
    string(block, name);
    string(block, value);
  }

  /** An HPACK string, not Huffman-coded, its length as a 7-bit-prefix integer. */
  private static void string(ByteArrayOutputStream block, String s) {
    byte[] bytes = s.getBytes(StandardCharsets.US_ASCII);
    int length = bytes.length;
    if (length < 127) {
      block.write(length);
    } else {
      block.write(127);
      length -= 127;
      while (length >= 128) {
        block.write((length & 0x7f) | 0x80);
        length >>>= 7;
      }
      block.write(length);
    }
    block.write(bytes, 0, bytes.length);
  }

  private static void frameHeader(
      ByteArrayOutputStream out, int length, int type, int flags, int streamId) {
    out.write(length >>> 16);
    out.write(length >>> 8);
    out.write(length);
    out.write(type);
    out.write(flags);
    out.write(streamId >>> 24);
    out.write(streamId >>> 16);
    out.write(streamId >>> 8);
    out.write(streamId);
  }

  /** Closes every connection (the server sees each end at once, not a graceful shutdown). */
  @Override
  public void close() {
    IOException first = null;
    for (Connection c : connections) {
      try {
        c.socket.close();
      } catch (IOException e) {
        if (first == null) {
          first = e;
        }
      }
    }
    connections.clear();
    if (first != null) {
      // Closing a socket only fails when the OS does; say so rather than hide it.
      System.err.println("Closing an idle connection failed: " + first);
    }
  }
}
