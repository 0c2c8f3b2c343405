package dev.grpcspring.stub;

import dev.grpcspring.CallOptions;
import dev.grpcspring.Channel;
import dev.grpcspring.Deadline;
import dev.grpcspring.interceptor.ClientInterceptor;
import dev.grpcspring.interceptor.ClientInterceptors;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * The base of generated stubs: a channel and the call options every call through this stub uses.
 * Stubs are immutable and cheap; each {@code with...} returns a new stub.
 *
 * @param <S> the concrete stub type
 */
public abstract class AbstractStub<S extends AbstractStub<S>> {
  private final Channel channel;
  private final CallOptions callOptions;

  protected AbstractStub(Channel channel, CallOptions callOptions) {
    this.channel = Objects.requireNonNull(channel, "channel");
    this.callOptions = Objects.requireNonNull(callOptions, "callOptions");
  }

  /** Makes a stub of the same type on another channel or with other options. */
  protected abstract S build(Channel channel, CallOptions callOptions);

  public final Channel getChannel() {
    return channel;
  }

  public final CallOptions getCallOptions() {
    return callOptions;
  }

  /** Every call gets this absolute deadline. */
  public final S withDeadline(Deadline deadline) {
    return build(channel, callOptions.withDeadline(deadline));
  }

  /**
   * Every call gets a deadline this long after the stub is made. For a timeout per call, make the
   * stub just before the call.
   */
  public final S withDeadlineAfter(long duration, TimeUnit unit) {
    return build(channel, callOptions.withDeadlineAfter(duration, unit));
  }

  /** Like {@link #withDeadlineAfter(long, TimeUnit)}. */
  public final S withDeadlineAfter(Duration duration) {
    return build(channel, callOptions.withDeadline(Deadline.after(duration)));
  }

  /** Compresses requests with the named compressor ({@code gzip}, {@code deflate}). */
  public final S withCompression(String compressorName) {
    return build(channel, callOptions.withCompression(compressorName));
  }

  /** Calls wait for a ready connection instead of failing fast. */
  public final S withWaitForReady() {
    return build(channel, callOptions.withWaitForReady());
  }

  /** Callbacks run on {@code executor}. */
  public final S withExecutor(Executor executor) {
    return build(channel, callOptions.withExecutor(executor));
  }

  public final S withMaxInboundMessageSize(int bytes) {
    return build(channel, callOptions.withMaxInboundMessageSize(bytes));
  }

  public final S withMaxOutboundMessageSize(int bytes) {
    return build(channel, callOptions.withMaxOutboundMessageSize(bytes));
  }

  /** Sets a custom call option. */
  public final <T> S withOption(CallOptions.Key<T> key, T value) {
    return build(channel, callOptions.withOption(key, value));
  }

  /** Calls go through these interceptors, the first one first, before the channel's own. */
  public final S withInterceptors(ClientInterceptor... interceptors) {
    return build(ClientInterceptors.intercept(channel, List.of(interceptors)), callOptions);
  }

  /** Makes a stub from a constructor, with default call options. */
  @FunctionalInterface
  public interface StubFactory<T extends AbstractStub<T>> {
    T newStub(Channel channel, CallOptions callOptions);
  }
}
