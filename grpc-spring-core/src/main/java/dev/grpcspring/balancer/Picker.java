package dev.grpcspring.balancer;

/**
 * Chooses a subchannel for each call. Balancers publish a new picker whenever what it should answer
 * changes; calls waiting for a ready subchannel retry with every new picker. Must be thread-safe and
 * fast: it runs on the caller's thread for every call.
 */
@FunctionalInterface
public interface Picker {
  PickResult pick(PickInfo info);
}
