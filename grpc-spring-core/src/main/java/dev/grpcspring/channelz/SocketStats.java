package dev.grpcspring.channelz;

import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * The counters of one connection (channelz's {@code SocketData}), filled in by the transport that
 * owns it. Streams count as succeeded when the client received, or the server sent, END_STREAM;
 * as failed otherwise. Keepalive pings are counted once keepalive exists (0 until then).
 */
public final class SocketStats {
  private final LongAdder streamsStarted = new LongAdder();
  private final LongAdder streamsSucceeded = new LongAdder();
  private final LongAdder streamsFailed = new LongAdder();
  private final LongAdder messagesSent = new LongAdder();
  private final LongAdder messagesReceived = new LongAdder();
  private final LongAdder keepAlivesSent = new LongAdder();
  private final LongAdder goAwaysSent = new LongAdder();
  private final LongAdder goAwaysReceived = new LongAdder();
  private volatile @Nullable Consumer<GoAway> goAwaySink;
  private volatile long lastLocalStreamCreatedMillis;
  private volatile long lastRemoteStreamCreatedMillis;
  private volatile long lastMessageSentMillis;
  private volatile long lastMessageReceivedMillis;

  /** This side opened a stream (a client's call). */
  public void localStreamStarted() {
    streamsStarted.increment();
    lastLocalStreamCreatedMillis = System.currentTimeMillis();
  }

  /** The peer opened a stream (a call arriving at a server). */
  public void remoteStreamStarted() {
    streamsStarted.increment();
    lastRemoteStreamCreatedMillis = System.currentTimeMillis();
  }

  /** A stream ended; {@code succeeded} as defined in the class comment. */
  public void streamEnded(boolean succeeded) {
    (succeeded ? streamsSucceeded : streamsFailed).increment();
  }

  /** A gRPC message went out. */
  public void messageSent() {
    messagesSent.increment();
    lastMessageSentMillis = System.currentTimeMillis();
  }

  /** A gRPC message came in. */
  public void messageReceived() {
    messagesReceived.increment();
    lastMessageReceivedMillis = System.currentTimeMillis();
  }

  /** A keepalive PING went out (not acks, not flow-control pings). */
  public void keepAliveSent() {
    keepAlivesSent.increment();
  }

  /**
   * A GOAWAY frame went out ({@code sent}) or came in. Counted here and passed to the registry's
   * listeners once the connection is registered (before that, only counted).
   */
  public void goAway(boolean sent, long errorCode, String debugData) {
    (sent ? goAwaysSent : goAwaysReceived).increment();
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
    return goAwaysSent.sum();
  }

  /** GOAWAY frames received. */
  public long goAwaysReceived() {
    return goAwaysReceived.sum();
  }

  /** Streams opened, by either side. */
  public long streamsStarted() {
    return streamsStarted.sum();
  }

  /** Streams that ended with END_STREAM (received by a client, sent by a server). */
  public long streamsSucceeded() {
    return streamsSucceeded.sum();
  }

  /** Streams that ended any other way. */
  public long streamsFailed() {
    return streamsFailed.sum();
  }

  /** gRPC messages sent. */
  public long messagesSent() {
    return messagesSent.sum();
  }

  /** gRPC messages received. */
  public long messagesReceived() {
    return messagesReceived.sum();
  }

  /** Keepalive PINGs sent. */
  public long keepAlivesSent() {
    return keepAlivesSent.sum();
  }

  /** Epoch milliseconds, 0 for never. */
  public long lastLocalStreamCreatedMillis() {
    return lastLocalStreamCreatedMillis;
  }

  /** Epoch milliseconds, 0 for never. */
  public long lastRemoteStreamCreatedMillis() {
    return lastRemoteStreamCreatedMillis;
  }

  /** Epoch milliseconds, 0 for never. */
  public long lastMessageSentMillis() {
    return lastMessageSentMillis;
  }

  /** Epoch milliseconds, 0 for never. */
  public long lastMessageReceivedMillis() {
    return lastMessageReceivedMillis;
  }
}
