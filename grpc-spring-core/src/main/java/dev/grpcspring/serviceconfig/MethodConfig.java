package dev.grpcspring.serviceconfig;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

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
    Boolean waitForReady,
    Duration timeout,
    Integer maxRequestMessageBytes,
    Integer maxResponseMessageBytes,
    RetryPolicy retryPolicy,
    HedgingPolicy hedgingPolicy) {
  /** No settings: what a method without a matching config gets. */
  public static final MethodConfig EMPTY = new MethodConfig(List.of(), null, null, null, null, null, null);

  public MethodConfig {
    names = List.copyOf(names);
    if (retryPolicy != null && hedgingPolicy != null) {
      throw new IllegalArgumentException("A method config may have a retryPolicy or a hedgingPolicy, not both");
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
