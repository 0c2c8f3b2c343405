package dev.grpcspring.balancer;

/** Told of a subchannel's state changes, through the channel's callback serializer. */
@FunctionalInterface
public interface SubConnStateListener {
  void onStateChange(SubConnState state);
}
