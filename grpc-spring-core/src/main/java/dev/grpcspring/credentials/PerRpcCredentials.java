package dev.grpcspring.credentials;

import dev.grpcspring.Metadata;
import java.util.concurrent.CompletionStage;

/**
 * Metadata added to every call (tokens, API keys), fetched per call (grpc-go's {@code
 * credentials.PerRPCCredentials}). Set on a channel through its dial options or on one call through
 * its call options. By default they are refused on a plaintext channel, since they would go out
 * unencrypted; credentials meant for plaintext (tests, a sidecar on loopback) say so with {@link
 * #requireTransportSecurity()}.
 */
public interface PerRpcCredentials {
  /**
   * The metadata to add to the call's request headers. May complete on any thread; failing it
   * fails the call with UNAUTHENTICATED (or the status of a {@link dev.grpcspring.StatusException}).
   */
  CompletionStage<Metadata> getRequestMetadata(RequestInfo info);

  /** Whether these credentials may only travel over a secure connection; true unless overridden. */
  default boolean requireTransportSecurity() {
    return true;
  }

  /**
   * What credentials know about the call they are asked for.
   *
   * @param authority the {@code :authority} of the call
   * @param fullMethodName {@code package.Service/Method}
   * @param securityProtocol the channel's {@link TransportCredentials#securityProtocol()}
   */
  record RequestInfo(String authority, String fullMethodName, String securityProtocol) {
    /** The URI grpc-go gives its credentials: {@code https://authority/package.Service}. */
    public String serviceUri() {
      int slash = fullMethodName.lastIndexOf('/');
      return "https://" + authority + "/" + (slash < 0 ? fullMethodName : fullMethodName.substring(0, slash));
    }
  }
}
