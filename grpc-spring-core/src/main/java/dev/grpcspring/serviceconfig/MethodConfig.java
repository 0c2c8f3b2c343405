package dev.grpcspring.serviceconfig;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The settings a service config gives a set of methods. Unset fields are null; the call's own
 * settings apply to them. How they combine with the call's (gRPC service-config spec): the
 * effective deadline is the earlier of the call's and {@code timeout}; message limits are the
 * smaller of the call's and these; the call's wait-for-ready, when set, wins.
 *
 * @param names which methods this applies to
 * @param waitForReady the default wait-for-ready, or null
 * @param timeout the longest a call may take, or null
 * @param maxRequestMessageBytes the largest request message, or null
 * @param maxResponseMessageBytes the largest response message, or null
 * @param retryPolicy how to retry, or null (never set together with {@code hedgingPolicy})
 * @param hedgingPolicy how to hedge, or null (never set together with {@code retryPolicy})
 */
public record MethodConfig(
    List<Name> names,
    @Nullable Boolean waitForReady,
    @Nullable Duration timeout,
    @Nullable Integer maxRequestMessageBytes,
    @Nullable Integer maxResponseMessageBytes,
    @Nullable RetryPolicy retryPolicy,
    @Nullable HedgingPolicy hedgingPolicy) {
  /** No settings: what a method without a matching config gets. */
  public static final MethodConfig EMPTY = new MethodConfig(List.of(), null, null, null, null, null, null);

  public MethodConfig {
    names = List.copyOf(names);
    if (retryPolicy != null && hedgingPolicy != null) {
      throw new IllegalArgumentException("A method config may have a retryPolicy or a hedgingPolicy, not both");
    }
  }

  /** A builder for a method config, to pass to {@link ServiceConfig.Builder#methodConfig}. */
  public static Builder newBuilder() {
    return new Builder();
  }

  /**
   * The fields of one {@code methodConfig} entry, checked when the {@link ServiceConfig} that holds
   * them is built, by the same rules and with the same messages as {@link ServiceConfig#parse}.
   * Unset fields stay unset (the call's own settings apply).
   */
  public static final class Builder {
    /** Each name as {service, method}, either possibly null. */
    final List<String[]> names = new ArrayList<>();
    @Nullable Boolean waitForReady;
    @Nullable Duration timeout;
    @Nullable Long maxRequestMessageBytes;
    @Nullable Long maxResponseMessageBytes;
    RetryPolicy.@Nullable Builder retryPolicy;
    HedgingPolicy.@Nullable Builder hedgingPolicy;

    Builder() {}

    /**
     * Applies this config to every method of {@code service} ({@code pkg.Service}); an empty
     * service applies it to every method that no other config names.
     */
    public Builder name(String service) {
      return name(service, null);
    }

    /**
     * Applies this config to one method; a null or empty {@code method} means every method of the
     * service. A config with no name applies to nothing and is left out (as in the JSON form).
     */
    public Builder name(@Nullable String service, @Nullable String method) {
      names.add(new String[] {service, method});
      return this;
    }

    /** Whether calls wait for a ready connection, unless the call says otherwise. */
    public Builder waitForReady(boolean waitForReady) {
      this.waitForReady = waitForReady;
      return this;
    }

    /** The longest a call may take, not negative; an earlier call deadline still wins. */
    public Builder timeout(Duration timeout) {
      this.timeout = Objects.requireNonNull(timeout, "timeout");
      return this;
    }

    /** The largest request message in bytes, not negative (values past 2 GiB count as 2 GiB). */
    public Builder maxRequestMessageBytes(long bytes) {
      this.maxRequestMessageBytes = bytes;
      return this;
    }

    /** The largest response message in bytes, not negative (values past 2 GiB count as 2 GiB). */
    public Builder maxResponseMessageBytes(long bytes) {
      this.maxResponseMessageBytes = bytes;
      return this;
    }

    /** Retries failed calls (not together with a hedging policy); copied as it is now. */
    public Builder retryPolicy(RetryPolicy.Builder retryPolicy) {
      this.retryPolicy = retryPolicy.copy();
      return this;
    }

    /** Hedges calls (not together with a retry policy); copied as it is now. */
    public Builder hedgingPolicy(HedgingPolicy.Builder hedgingPolicy) {
      this.hedgingPolicy = hedgingPolicy.copy();
      return this;
    }

    Builder copy() {
      Builder b = new Builder();
      for (String[] n : names) {
        b.names.add(n.clone());
      }
      b.waitForReady = waitForReady;
      b.timeout = timeout;
      b.maxRequestMessageBytes = maxRequestMessageBytes;
      b.maxResponseMessageBytes = maxResponseMessageBytes;
      b.retryPolicy = retryPolicy == null ? null : retryPolicy.copy();
      b.hedgingPolicy = hedgingPolicy == null ? null : hedgingPolicy.copy();
      return b;
    }

    /** The method config, or an error naming the field under {@code path} ({@code methodConfig[i]}). */
    MethodConfig build(String path) {
      List<Name> built = new ArrayList<>();
      for (int i = 0; i < names.size(); i++) {
        String service = names.get(i)[0];
        String method = names.get(i)[1];
        if ((service == null || service.isEmpty()) && method != null && !method.isEmpty()) {
          throw InvalidServiceConfigException.at(path + ".name[" + i + "].method", "is set ('" + method
              + "') without a service; a name needs a service to have a method");
        }
        built.add(new Name(service, method));
      }
      if (timeout != null && timeout.isNegative()) {
        throw InvalidServiceConfigException.at(path + ".timeout", "must not be negative, got " + timeout);
      }
      if (retryPolicy != null && hedgingPolicy != null) {
        throw InvalidServiceConfigException.at(path, "has both retryPolicy and hedgingPolicy; a method"
            + " config may have only one (gRFC A6): remove one of them");
      }
      return new MethodConfig(
          built,
          waitForReady,
          timeout,
          messageSize(path, "maxRequestMessageBytes", maxRequestMessageBytes),
          messageSize(path, "maxResponseMessageBytes", maxResponseMessageBytes),
          retryPolicy == null ? null : retryPolicy.build(path + ".retryPolicy"),
          hedgingPolicy == null ? null : hedgingPolicy.build(path + ".hedgingPolicy"));
    }

    private static @Nullable Integer messageSize(String path, String key, @Nullable Long n) {
      if (n == null) {
        return null;
      }
      if (n < 0) {
        throw InvalidServiceConfigException.at(path + "." + key, "must not be negative, got " + n);
      }
      return (int) Math.min(n, Integer.MAX_VALUE);
    }
  }

  /**
   * One {@code name} entry: a method ({@code service} and {@code method}), a whole service ({@code
   * method} empty), or every method (both empty).
   *
   * @param service the fully qualified service ({@code pkg.Service}), empty for the default
   * @param method the method name, empty for the whole service
   */
  public record Name(String service, String method) {
    public Name {
      service = service == null ? "" : service;
      method = method == null ? "" : method;
      Objects.requireNonNull(service);
      if (service.isEmpty() && !method.isEmpty()) {
        throw new IllegalArgumentException("A method config name with a method needs a service, got method '" + method + "'");
      }
    }
  }
}
