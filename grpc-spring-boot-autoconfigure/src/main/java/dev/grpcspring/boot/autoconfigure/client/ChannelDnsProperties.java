package dev.grpcspring.boot.autoconfigure.client;

/** What the {@code dns} resolver of one channel does, {@code grpc.client.channel.<name>.dns.*}. */
public class ChannelDnsProperties {

  /**
   * Whether a dns: target also looks up the service config in the TXT records of
   * "_grpc_config.<host>" (gRFC A2), which may set the load-balancing policy, timeouts and
   * retries. Off by default, as in grpc-java; needs resolver-service-config-enabled. Ignored by
   * other schemes.
   */
  private boolean serviceConfigLookup;

  public boolean isServiceConfigLookup() {
    return serviceConfigLookup;
  }

  public void setServiceConfigLookup(boolean serviceConfigLookup) {
    this.serviceConfigLookup = serviceConfigLookup;
  }
}
