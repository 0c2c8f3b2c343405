package dev.grpcspring.channelz;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * The counters of one connection (channelz's {@code SocketData}), filled in by the transport that
 * owns it. Streams count as succeeded when the client received, or the server sent, END_STREAM;
 * as failed otherwise. Keepalive pings are counted once keepalive exists (0 until then).
 *
 * <p>Counts are read from any thread. A transport whose events all happen on one thread (an
 * HTTP/2 connection's event loop) takes {@link #forOneWriter()}: its counts are then plain
 * increments published with release stores, not atomic updates; on a server whose event loop is
 * its busiest thread, the atomic increments and volatile timestamp writes of each call were about
 * 2% of that loop's CPU.
 */
public final class SocketStats {
  private static final VarHandle COUNT;

  static {
    try {
      COUNT = MethodHandles.arrayElementVarHandle(long[].class);
    } catch (IllegalArgumentException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private static final int STREAMS_STARTED = 0;
  private static final int STREAMS_SUCCEEDED = 1;
  private static final int STREAMS_FAILED = 2;
  private static final int MESSAGES_SENT = 3;
  private static final int MESSAGES_RECEIVED = 4;
  private static final int KEEP_ALIVES_SENT = 5;
  private static final int GO_AWAYS_SENT = 6;
  private static final int GO_AWAYS_RECEIVED = 7;
  private static final int LAST_LOCAL_STREAM_CREATED = 8;
  private static final int LAST_REMOTE_STREAM_CREATED = 9;
  private static final int LAST_MESSAGE_SENT = 10;
  private static final int LAST_MESSAGE_RECEIVED = 11;

  private final boolean oneWriter;
  /** The counts and timestamps (epoch milliseconds), by the indexes above. */
  private final long[] values = new long[12];
  private volatile @Nullable Consumer<GoAway> goAwaySink;

  /** Counters any number of threads may update at once. */
  public SocketStats() {
    this(false);
  }

  private SocketStats(boolean oneWriter) {
    this.oneWriter = oneWriter;
  }

  /**
   * Counters that one thread at a time updates (the connection's event loop); other threads may
   * read them at any time. Updates from two threads at once could lose counts.
   */
  public static SocketStats forOneWriter() {
    return new SocketStats(true);
  }

  private void increment(int index) {
    if (oneWriter) {
      COUNT.setRelease(values, index, (long) COUNT.getOpaque(values, index) + 1);
    } else {
      COUNT.getAndAdd(values, index, 1L);
    }
  }

  private void stamp(int index) {
    // The last writer wins, whichever it is: no atomic update needed with any number of writers.
    COUNT.setRelease(values, index, System.currentTimeMillis());
  }

  private long read(int index) {
    return (long) COUNT.getAcquire(values, index);
  }

  /** This side opened a stream (a client's call). */
  public void localStreamStarted() {
    increment(STREAMS_STARTED);
    stamp(LAST_LOCAL_STREAM_CREATED);
  }

  /** The peer opened a stream (a call arriving at a server). */
  public void remoteStreamStarted() {
    increment(STREAMS_STARTED);
    stamp(LAST_REMOTE_STREAM_CREATED);
  }

  /** A stream ended; {@code succeeded} as defined in the class comment. */
  public void streamEnded(boolean succeeded) {
    increment(succeeded ? STREAMS_SUCCEEDED : STREAMS_FAILED);
  }

  /** A gRPC message went out. */
  public void messageSent() {
    increment(MESSAGES_SENT);
    stamp(LAST_MESSAGE_SENT);
  }

  /** A gRPC message came in. */
  public void messageReceived() {
    increment(MESSAGES_RECEIVED);
    stamp(LAST_MESSAGE_RECEIVED);
  }

  /** A keepalive PING went out (not acks, not flow-control pings). */
  public void keepAliveSent() {
    increment(KEEP_ALIVES_SENT);
  }

  /**
   * A GOAWAY frame went out ({@code sent}) or came in. Counted here and passed to the registry's
   * listeners once the connection is registered (before that, only counted).
   */
  public void goAway(boolean sent, long errorCode, String debugData) {
    increment(sent ? GO_AWAYS_SENT : GO_AWAYS_RECEIVED);
    Consumer<GoAway> sink = goAwaySink;
    if (sink != null) {
      sink.accept(new GoAway(sent, errorCode, debugData));
    }
  }

  /** Where {@link #goAway} events go; set by the registry when the connection is registered. */
  void goAwaySink(Consumer<GoAway> sink) {
    this.goAwaySink = sink;
  }

  /** GOAWAY frames sent. */
  public long goAwaysSent() {
    return read(GO_AWAYS_SENT);
  }

  /** GOAWAY frames received. */
  public long goAwaysReceived() {
    return read(GO_AWAYS_RECEIVED);
  }

  /** Streams opened, by either side. */
  public long streamsStarted() {
    return read(STREAMS_STARTED);
  }

  /** Streams that ended with END_STREAM (received by a client, sent by a server). */
  public long streamsSucceeded() {
    return read(STREAMS_SUCCEEDED);
  }

  /** Streams that ended any other way. */
  public long streamsFailed() {
    return read(STREAMS_FAILED);
  }

  /** gRPC messages sent. */
  public long messagesSent() {
    return read(MESSAGES_SENT);
  }

  /** gRPC messages received. */
  public long messagesReceived() {
    return read(MESSAGES_RECEIVED);
  }

  /** Keepalive PINGs sent. */
  public long keepAlivesSent() {
    return read(KEEP_ALIVES_SENT);
  }

  /** Epoch milliseconds, 0 for never. */
  public long lastLocalStreamCreatedMillis() {
    return read(LAST_LOCAL_STREAM_CREATED);
  }

  /** Epoch milliseconds, 0 for never. */
  public long lastRemoteStreamCreatedMillis() {
    return read(LAST_REMOTE_STREAM_CREATED);
  }

  /** Epoch milliseconds, 0 for never. */
  public long lastMessageSentMillis() {
    return read(LAST_MESSAGE_SENT);
  }

  /** Epoch milliseconds, 0 for never. */
  public long lastMessageReceivedMillis() {
    return read(LAST_MESSAGE_RECEIVED);
  }
}
