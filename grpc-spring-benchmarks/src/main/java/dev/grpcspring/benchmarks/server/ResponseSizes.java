package dev.grpcspring.benchmarks.server;

import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntFunction;

/**
 * Builds each response size once. Both runtimes' servers answer from this cache, so the work a
 * benchmark measures is the runtime's (framing, HTTP/2, marshalling), not building filler bytes.
 *
 * @param <T> the runtime's SimpleResponse class
 */
final class ResponseSizes<T> {
  /**
   * Largest response payload a client may ask for: the scaling sweep's largest message, 4 MiB.
   * Servers accept requests of twice this (the payload plus its protobuf framing must fit).
   */
  static final int MAX_RESPONSE_BYTES = 4 * 1024 * 1024;

  private final ConcurrentHashMap<Integer, T> bySize = new ConcurrentHashMap<>();
  private final IntFunction<T> factory;

  ResponseSizes(IntFunction<T> factory) {
    this.factory = factory;
  }

  /**
   * The response with a payload of {@code size} bytes.
   *
   * @throws IllegalArgumentException when the size is negative or above {@link
   *     #MAX_RESPONSE_BYTES}; servers turn it into INVALID_ARGUMENT
   */
  T get(int size) {
    if (size < 0 || size > MAX_RESPONSE_BYTES) {
      throw new IllegalArgumentException(
          "response_size must be between 0 and " + MAX_RESPONSE_BYTES + ", got " + size);
    }
    T response = bySize.get(size);
    return response != null ? response : bySize.computeIfAbsent(size, factory::apply);
  }
}
