package dev.grpcspring.client;

import dev.grpcspring.ClientCall;
import dev.grpcspring.Metadata;
import dev.grpcspring.Status;
import dev.grpcspring.StatusException;
import java.util.Objects;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * A started streaming call with grpc-go's blocking shape ({@code ClientStream}: {@code SendMsg},
 * {@code CloseSend}, {@code RecvMsg}, {@code Header}, {@code Trailer}), from {@link
 * ClientConn#newStream}. Use one thread to send and one to receive (they may be the same).
 *
 * @param <ReqT> the request message type
 * @param <RespT> the response message type
 */
public final class ClientStream<ReqT, RespT> {
  private static final Object END = new Object();

  private final ClientCall<ReqT, RespT> call;
  private final LinkedBlockingQueue<Object> inbound = new LinkedBlockingQueue<>();
  private volatile @Nullable Metadata headers;
  private volatile @Nullable Metadata trailers;
  private volatile @Nullable Status status;
  private final Object headerLock = new Object();
  private boolean done;

  private ClientStream(ClientCall<ReqT, RespT> call) {
    this.call = call;
  }

  static <ReqT, RespT> ClientStream<ReqT, RespT> start(ClientCall<ReqT, RespT> call) {
    ClientStream<ReqT, RespT> s = new ClientStream<>(call);
    call.start(s.new Listener(), new Metadata());
    return s;
  }

  /** Sends one request message. */
  public void sendMsg(ReqT message) {
    call.sendMessage(message);
  }

  /** No more requests (grpc-go's {@code CloseSend}). */
  public void closeSend() {
    call.halfClose();
  }

  /**
   * The next response, blocking until it arrives; null when the call ended with OK.
   *
   * @throws StatusException when the call ended with an error
   */
  public @Nullable RespT recvMsg() throws InterruptedException {
    if (done) {
      return endOrThrow();
    }
    call.request(1);
    Object o = inbound.take();
    if (o == END) {
      done = true;
      return endOrThrow();
    }
    @SuppressWarnings("unchecked")
    RespT m = (RespT) o;
    return m;
  }

  private @Nullable RespT endOrThrow() {
    // END is queued after the status is recorded.
    Status s = Objects.requireNonNull(status, "status");
    if (s.isOk()) {
      return null;
    }
    throw s.asException(trailers);
  }

  /** The response headers, blocking until they (or the end of the call) arrive; null on timeout. */
  public @Nullable Metadata header(long timeout, TimeUnit unit) throws InterruptedException {
    long deadline = System.nanoTime() + unit.toNanos(timeout);
    synchronized (headerLock) {
      while (headers == null) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return null;
        }
        TimeUnit.NANOSECONDS.timedWait(headerLock, left);
      }
      return headers;
    }
  }

  /** The trailers once the call has ended (after {@link #recvMsg} returned null or threw), else null. */
  public @Nullable Metadata trailer() {
    return trailers;
  }

  /** Cancels the call. */
  public void cancel(@Nullable String message) {
    call.cancel(message, null);
  }

  private final class Listener extends ClientCall.Listener<RespT> {
    @Override
    public void onHeaders(Metadata h) {
      synchronized (headerLock) {
        headers = h;
        headerLock.notifyAll();
      }
    }

    @Override
    public void onMessage(RespT message) {
      inbound.add(message);
    }

    @Override
    public void onClose(Status s, Metadata t) {
      trailers = t;
      status = s;
      synchronized (headerLock) {
        if (headers == null) {
          headers = new Metadata();
        }
        headerLock.notifyAll();
      }
      inbound.add(END);
    }
  }
}
