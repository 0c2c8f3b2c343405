package dev.grpcspring.boot.client;

import dev.grpcspring.CallOptions;
import dev.grpcspring.Channel;
import dev.grpcspring.ClientCall;
import dev.grpcspring.MethodDescriptor;
import dev.grpcspring.interceptor.ClientInterceptor;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * Gives every call that has no deadline one {@code timeout} after it starts. A deadline is an
 * instant, so a default one cannot sit in the stub's {@link CallOptions}: it would be counted from
 * when the stub was made.
 */
public final class DefaultDeadlineInterceptor implements ClientInterceptor {

  private final Duration timeout;

  public DefaultDeadlineInterceptor(Duration timeout) {
    this.timeout = Objects.requireNonNull(timeout, "timeout");
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("A default deadline must be positive, was " + timeout);
    }
  }

  @Override
  public <ReqT, RespT> ClientCall<ReqT, RespT> interceptCall(
      MethodDescriptor<ReqT, RespT> method, CallOptions callOptions, Channel next) {
    CallOptions options = callOptions.getDeadline() == null
        ? callOptions.withDeadlineAfter(timeout.toNanos(), TimeUnit.NANOSECONDS)
        : callOptions;
    return next.newCall(method, options);
  }

  @Override
  public String toString() {
    return "DefaultDeadlineInterceptor{" + timeout + "}";
  }
}
