package dev.grpcspring.credentials;

import dev.grpcspring.Metadata;
import dev.grpcspring.SecurityLevel;
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
   * fails the call with UNAUTHENTICATED, or with the status of a {@link
   * dev.grpcspring.StatusException}, except that the codes gRFC A54 reserves for the server (OK,
   * INVALID_ARGUMENT, NOT_FOUND, ALREADY_EXISTS, FAILED_PRECONDITION, ABORTED, OUT_OF_RANGE,
   * DATA_LOSS) become INTERNAL.
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
   * @param securityLevel how well the channel's connections are protected; credentials that need
   *     more can fail the call (with UNAUTHENTICATED)
   */
  record RequestInfo(String authority, String fullMethodName, String securityProtocol,
      SecurityLevel securityLevel) {
    /**
     * The URI grpc-go gives its credentials: {@code https://authority/package.Service}, with a
     * {@code :443} port left out (as grpc-go and grpc-java do, so JWT audiences match).
     */
    public String serviceUri() {
      int slash = fullMethodName.lastIndexOf('/');
      String host = authority.endsWith(":443")
          ? authority.substring(0, authority.length() - 4) : authority;
      return "https://" + host + "/"
          + (slash < 0 ? fullMethodName : fullMethodName.substring(0, slash));
    }
  }
}
