package dev.grpcspring.interop;

import dev.grpcspring.Metadata;
import dev.grpcspring.MethodDescriptor;
import dev.grpcspring.ServerCall;
import dev.grpcspring.Status;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A server call with no transport: it records what the handler sends, and how each message would
 * be compressed, so that the service's per-message behaviour can be checked exactly.
 */
final class RecordingServerCall<ReqT, RespT> extends ServerCall<ReqT, RespT> {
  /** One sent message, with whether it would go out compressed and when it was sent. */
  record Sent<T>(T message, boolean compressed, long nanoTime) {}

  private final MethodDescriptor<ReqT, RespT> method;
  private final CountDownLatch closed = new CountDownLatch(1);
  private final List<Sent<RespT>> sent = new ArrayList<>();
  private Metadata headers;
  private Status status;
  private Metadata trailers;
  private String compressor;
  private boolean messageCompression = true;
  private boolean cancelled;
  /** What {@link #isInboundMessageCompressed()} answers: the test sets it before each message. */
  volatile boolean inboundCompressed;
  /** What {@link #isReady()} answers: tests turn it off to stand for a backed-up transport. */
  volatile boolean ready = true;
  /** The listener the handler returned; tests deliver the client's side of the call to it. */
  ServerCall.Listener<ReqT> listener;

  RecordingServerCall(MethodDescriptor<ReqT, RespT> method) {
    this.method = method;
  }

  @Override
  public void request(int numMessages) {}

  @Override
  public synchronized void sendHeaders(Metadata headers) {
    if (this.headers != null) {
      throw new IllegalStateException("headers sent twice");
    }
    this.headers = headers;
  }

  @Override
  public synchronized void sendMessage(RespT message) {
    if (headers == null) {
      throw new IllegalStateException("message before headers");
    }
    if (status != null) {
      throw new IllegalStateException("message after close");
    }
    sent.add(new Sent<>(message, compressor != null && messageCompression, System.nanoTime()));
  }

  @Override
  public synchronized void close(Status status, Metadata trailers) {
    if (this.status != null) {
      throw new IllegalStateException("closed twice: " + this.status + " then " + status);
    }
    this.status = status;
    this.trailers = trailers;
    closed.countDown();
  }

  @Override
  public synchronized boolean isCancelled() {
    return cancelled;
  }

  synchronized void markCancelled() {
    cancelled = true;
  }

  @Override
  public synchronized void setMessageCompression(boolean enabled) {
    messageCompression = enabled;
  }

  @Override
  public synchronized void setCompression(String compressorName) {
    if (headers != null) {
      throw new IllegalStateException("setCompression after headers");
    }
    compressor = compressorName;
  }

  @Override
  public boolean isReady() {
    return ready;
  }

  @Override
  public boolean isInboundMessageCompressed() {
    return inboundCompressed;
  }

  @Override
  public MethodDescriptor<ReqT, RespT> getMethodDescriptor() {
    return method;
  }

  void awaitClose() throws InterruptedException {
    if (!closed.await(10, TimeUnit.SECONDS)) {
      throw new AssertionError("the call was not closed within 10 s");
    }
  }

  synchronized List<Sent<RespT>> sent() {
    return new ArrayList<>(sent);
  }

  synchronized Metadata headers() {
    return headers;
  }

  synchronized Status status() {
    return status;
  }

  synchronized Metadata trailers() {
    return trailers;
  }
}
