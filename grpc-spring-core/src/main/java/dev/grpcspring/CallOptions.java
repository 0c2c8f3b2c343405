package dev.grpcspring;

import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * Per-call settings: deadline, compression, wait-for-ready, message size limits, the executor for
 * callbacks, and typed custom options ({@link Key}) for anything else (grpc-go's CallOptions, such as
 * header capture, ride on those). Immutable; every {@code with...} returns a copy.
 */
public final class CallOptions {
  /** No deadline, no compression, fail-fast, channel limits. */
  public static final CallOptions DEFAULT = new CallOptions();

  private @Nullable Deadline deadline;
  private @Nullable String authority;
  private @Nullable String compressorName;
  private @Nullable Boolean waitForReady;
  private @Nullable Integer maxInboundMessageSize;
  private @Nullable Integer maxOutboundMessageSize;
  private @Nullable Executor executor;
  private Object[][] customOptions = new Object[0][];

  private CallOptions() {}

  private CallOptions copy() {
    CallOptions c = new CallOptions();
    c.deadline = deadline;
    c.authority = authority;
    c.compressorName = compressorName;
    c.waitForReady = waitForReady;
    c.maxInboundMessageSize = maxInboundMessageSize;
    c.maxOutboundMessageSize = maxOutboundMessageSize;
    c.executor = executor;
    c.customOptions = customOptions;
    return c;
  }

  public CallOptions withDeadline(@Nullable Deadline deadline) {
    CallOptions c = copy();
    c.deadline = deadline;
    return c;
  }

  public CallOptions withDeadlineAfter(long duration, TimeUnit unit) {
    return withDeadline(Deadline.after(duration, unit));
  }

  /** The deadline, or null for none. */
  public @Nullable Deadline getDeadline() {
    return deadline;
  }

  /** Overrides {@code :authority} for this call. */
  public CallOptions withAuthority(@Nullable String authority) {
    CallOptions c = copy();
    c.authority = authority;
    return c;
  }

  public @Nullable String getAuthority() {
    return authority;
  }

  /** Compresses request messages with the named compressor ({@code gzip}, {@code deflate}, ...). */
  public CallOptions withCompression(@Nullable String compressorName) {
    CallOptions c = copy();
    c.compressorName = compressorName;
    return c;
  }

  public @Nullable String getCompressor() {
    return compressorName;
  }

  /** Waits for a ready connection instead of failing fast when the channel is in TRANSIENT_FAILURE. */
  public CallOptions withWaitForReady() {
    CallOptions c = copy();
    c.waitForReady = Boolean.TRUE;
    return c;
  }

  /** Fails fast (the default) when no connection is ready. */
  public CallOptions withoutWaitForReady() {
    CallOptions c = copy();
    c.waitForReady = Boolean.FALSE;
    return c;
  }

  public boolean isWaitForReady() {
    return Boolean.TRUE.equals(waitForReady);
  }

  /** The explicit wait-for-ready choice, or null when the call did not make one. */
  public @Nullable Boolean getWaitForReady() {
    return waitForReady;
  }

  public CallOptions withMaxInboundMessageSize(int bytes) {
    if (bytes < 0) {
      throw new IllegalArgumentException("max inbound message size must be >= 0, was " + bytes);
    }
    CallOptions c = copy();
    c.maxInboundMessageSize = bytes;
    return c;
  }

  /** The receive limit for this call, or null to use the channel's. */
  public @Nullable Integer getMaxInboundMessageSize() {
    return maxInboundMessageSize;
  }

  public CallOptions withMaxOutboundMessageSize(int bytes) {
    if (bytes < 0) {
      throw new IllegalArgumentException("max outbound message size must be >= 0, was " + bytes);
    }
    CallOptions c = copy();
    c.maxOutboundMessageSize = bytes;
    return c;
  }

  /** The send limit for this call, or null to use the channel's. */
  public @Nullable Integer getMaxOutboundMessageSize() {
    return maxOutboundMessageSize;
  }

  /** Runs this call's callbacks on {@code executor} instead of the channel's. */
  public CallOptions withExecutor(@Nullable Executor executor) {
    CallOptions c = copy();
    c.executor = executor;
    return c;
  }

  public @Nullable Executor getExecutor() {
    return executor;
  }

  /** Sets a custom option. */
  public <T> CallOptions withOption(Key<T> key, @Nullable T value) {
    Objects.requireNonNull(key, "key");
    CallOptions c = copy();
    int idx = -1;
    for (int i = 0; i < customOptions.length; i++) {
      if (customOptions[i][0] == key) {
        idx = i;
        break;
      }
    }
    Object[][] next = Arrays.copyOf(customOptions, customOptions.length + (idx == -1 ? 1 : 0));
    next[idx == -1 ? customOptions.length : idx] = new Object[] {key, value};
    c.customOptions = next;
    return c;
  }

  /** A custom option's value, or its default. */
  @SuppressWarnings("unchecked")
  public <T> @Nullable T getOption(Key<T> key) {
    for (Object[] kv : customOptions) {
      if (kv[0] == key) {
        return (T) kv[1];
      }
    }
    return key.defaultValue;
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("CallOptions{");
    sb.append("deadline=").append(deadline);
    sb.append(", authority=").append(authority);
    sb.append(", compressor=").append(compressorName);
    sb.append(", waitForReady=").append(waitForReady);
    sb.append(", maxInbound=").append(maxInboundMessageSize);
    sb.append(", maxOutbound=").append(maxOutboundMessageSize);
    for (Object[] kv : customOptions) {
      sb.append(", ").append(kv[0]).append('=').append(kv[1]);
    }
    return sb.append('}').toString();
  }

  /**
   * A typed custom option key; keys compare by identity.
   *
   * @param <T> the value type
   */
  public static final class Key<T> {
    private final String name;
    private final @Nullable T defaultValue;

    private Key(String name, @Nullable T defaultValue) {
      this.name = Objects.requireNonNull(name, "name");
      this.defaultValue = defaultValue;
    }

    public static <T> Key<T> create(String name) {
      return new Key<>(name, null);
    }

    public static <T> Key<T> createWithDefault(String name, T defaultValue) {
      return new Key<>(name, defaultValue);
    }

    public @Nullable T getDefault() {
      return defaultValue;
    }

    @Override
    public String toString() {
      return name;
    }
  }
}
