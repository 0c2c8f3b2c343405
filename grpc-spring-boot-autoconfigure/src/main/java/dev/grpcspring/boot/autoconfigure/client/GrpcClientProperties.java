package dev.grpcspring.boot.autoconfigure.client;

import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Configuration of gRPC channels, under {@code grpc.client}. Each entry of {@code channel} is one
 * named channel; the entry named {@code default} holds values that every other channel inherits,
 * key by key, unless it sets its own.
 *
 * <p>The map holds each entry as written; {@link ChannelPropertiesResolver} gives a channel's
 * effective values, with the {@code default} entry's inherited.
 */
@ConfigurationProperties("grpc.client")
public class GrpcClientProperties {

  /** Name of the channel entry whose values every other channel inherits. */
  public static final String DEFAULT_CHANNEL = "default";

  /** Whether to configure channels and inject @GrpcClient members. */
  private boolean enabled = true;

  /**
   * Channels by name, as @GrpcClient refers to them. The entry named "default" is inherited by
   * every other channel.
   */
  private Map<String, ChannelProperties> channel = new LinkedHashMap<>();

  private final InProcess inProcess = new InProcess();

  public boolean isEnabled() {
    return enabled;
  }

  public void setEnabled(boolean enabled) {
    this.enabled = enabled;
  }

  public Map<String, ChannelProperties> getChannel() {
    return channel;
  }

  public void setChannel(Map<String, ChannelProperties> channel) {
    this.channel = channel;
  }

  public InProcess getInProcess() {
    return inProcess;
  }

  /** Routing of every channel to one in-process server, as tests want it. */
  public static class InProcess {

    /**
     * When set, every channel dials the in-process server of this name instead of its target
     * (what @AutoConfigureInProcessTransport sets in tests).
     */
    private @Nullable String name;

    public @Nullable String getName() {
      return name;
    }

    public void setName(@Nullable String name) {
      this.name = name;
    }
  }
}
