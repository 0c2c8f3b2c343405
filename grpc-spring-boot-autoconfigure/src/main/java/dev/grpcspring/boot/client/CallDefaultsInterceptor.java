package dev.grpcspring.boot.client;

import dev.grpcspring.CallOptions;
import dev.grpcspring.Channel;
import dev.grpcspring.ClientCall;
import dev.grpcspring.MethodDescriptor;
import dev.grpcspring.interceptor.ClientInterceptor;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Gives every call the channel's default call options, unless the call (or its stub) set its own.
 * The deadline is counted from the start of each call, not from when the stub was made, which is
 * why this is an interceptor and not a {@link CallOptions} on the stub.
 */
public final class CallDefaultsInterceptor implements ClientInterceptor {

  private final Duration deadline;
  private final Boolean waitForReady;
  private final String compression;
  private final Integer maxInboundMessageSize;
  private final Integer maxOutboundMessageSize;

  /** Each argument may be {@code null} for "no default". */
  public CallDefaultsInterceptor(Duration deadline, Boolean waitForReady, String compression,
      Integer maxInboundMessageSize, Integer maxOutboundMessageSize) {
    this.deadline = deadline;
    this.waitForReady = waitForReady;
    this.compression = compression;
    this.maxInboundMessageSize = maxInboundMessageSize;
    this.maxOutboundMessageSize = maxOutboundMessageSize;
  }

  /** Whether this interceptor would change nothing. */
  public boolean isEmpty() {
    return deadline == null && waitForReady == null && compression == null
        && maxInboundMessageSize == null && maxOutboundMessageSize == null;
  }

  @Override
  public <ReqT, RespT> ClientCall<ReqT, RespT> interceptCall(
      MethodDescriptor<ReqT, RespT> method, CallOptions callOptions, Channel next) {
    CallOptions options = callOptions;
    if (deadline != null && options.getDeadline() == null) {
      options = options.withDeadlineAfter(deadline.toNanos(), TimeUnit.NANOSECONDS);
    }
    if (waitForReady != null && options.getWaitForReady() == null) {
      options = waitForReady ? options.withWaitForReady() : options.withoutWaitForReady();
    }
    if (compression != null && options.getCompressor() == null) {
      options = options.withCompression(compression);
    }
    if (maxInboundMessageSize != null && options.getMaxInboundMessageSize() == null) {
      options = options.withMaxInboundMessageSize(maxInboundMessageSize);
    }
    if (maxOutboundMessageSize != null && options.getMaxOutboundMessageSize() == null) {
      options = options.withMaxOutboundMessageSize(maxOutboundMessageSize);
    }
    return next.newCall(method, options);
  }

  @Override
  public String toString() {
    return "CallDefaultsInterceptor{deadline=" + deadline + ", waitForReady=" + waitForReady
        + ", compression=" + compression + ", maxInboundMessageSize=" + maxInboundMessageSize
        + ", maxOutboundMessageSize=" + maxOutboundMessageSize + "}";
  }
}
