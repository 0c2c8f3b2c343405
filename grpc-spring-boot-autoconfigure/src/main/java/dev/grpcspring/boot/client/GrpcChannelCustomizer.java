package dev.grpcspring.boot.client;

import dev.grpcspring.client.DialOptions;

/**
 * Adjusts the dial options of channels made from {@code grpc.client.channel.*}, after the
 * properties were applied: for settings with no property, such as credentials, resolvers or an
 * event loop group. Customizer beans run in {@code @Order}.
 */
@FunctionalInterface
public interface GrpcChannelCustomizer {

  /**
   * @param name the channel's name, the key under {@code grpc.client.channel}
   * @param options the dial options, already set from the properties
   */
  void customize(String name, DialOptions.Builder options);
}
