package dev.grpcspring.client;

import dev.grpcspring.CallOptions;
import dev.grpcspring.Channel;
import dev.grpcspring.ClientCall;
import dev.grpcspring.Metadata;
import dev.grpcspring.MethodDescriptor;
import dev.grpcspring.Status;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import org.jspecify.annotations.Nullable;

/**
 * The blocking unary call behind {@link ClientConn#invoke} (grpc-go's {@code invoke} in
 * {@code call.go}): start, send the one request, half-close, wait for the one response and the
 * status. Lives in the client package so that the connection does not depend on the stub layer
 * above it.
 */
final class UnaryInvoker<RespT> extends ClientCall.Listener<RespT> {
  private final ClientCall<?, RespT> call;
  private final CountDownLatch closed = new CountDownLatch(1);
  // Written by the call's executor before closed counts down; read after await.
  private @Nullable RespT value;
  private int responses;
  private @Nullable Status status;
  private @Nullable Metadata trailers;

  private UnaryInvoker(ClientCall<?, RespT> call) {
    this.call = call;
  }

  static <ReqT, RespT> RespT invoke(
      Channel channel, MethodDescriptor<ReqT, RespT> method, CallOptions options, ReqT request) {
    ClientCall<ReqT, RespT> call = channel.newCall(method, options);
    UnaryInvoker<RespT> invoker = new UnaryInvoker<>(call);
    call.start(invoker, new Metadata());
    // Two, so that a second response is seen and reported instead of left waiting in the transport.
    call.request(2);
    try {
      call.sendMessage(request);
      call.halfClose();
    } catch (RuntimeException | Error e) {
      call.cancel("Failed to send the request", e);
      throw e;
    }
    return invoker.await();
  }

  private RespT await() {
    boolean interrupted = false;
    while (true) {
      try {
        closed.await();
        break;
      } catch (InterruptedException e) {
        interrupted = true;
        call.cancel("The calling thread was interrupted", e);
        // Keep waiting: the cancellation's onClose follows.
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    // A second response is the violation even though the cancellation made the status CANCELLED.
    if (responses > 1) {
      throw cardinalityViolation("more than one response");
    }
    // The latch opens only in onClose, which records the status first.
    Status s = Objects.requireNonNull(status, "status");
    if (!s.isOk()) {
      throw s.asRuntimeException(trailers);
    }
    if (responses == 0) {
      throw cardinalityViolation("no response");
    }
    // One response: onMessage stored it.
    return Objects.requireNonNull(value, "response");
  }

  private RuntimeException cardinalityViolation(String what) {
    return Status.UNIMPLEMENTED
        .withDescription("Response cardinality violation: " + what + " for a unary call")
        .asRuntimeException(trailers);
  }

  @Override
  public void onMessage(RespT message) {
    if (++responses == 1) {
      value = message;
    } else if (responses == 2) {
      call.cancel("more than one response for a unary call", null);
    }
  }

  @Override
  public void onClose(Status status, Metadata trailers) {
    this.status = status;
    this.trailers = trailers;
    closed.countDown();
  }
}
