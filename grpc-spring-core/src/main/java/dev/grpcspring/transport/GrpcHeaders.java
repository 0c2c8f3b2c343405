package dev.grpcspring.transport;

import dev.grpcspring.MethodDescriptor;
import io.netty.util.AsciiString;

/**
 * Header names and values used by gRPC over HTTP/2, as static {@link AsciiString}s so that building
 * headers copies nothing and HPACK compares them cheaply.
 */
public final class GrpcHeaders {
  private GrpcHeaders() {}

  // Names.
  public static final AsciiString CONTENT_TYPE = AsciiString.cached("content-type");
  public static final AsciiString TE = AsciiString.cached("te");
  public static final AsciiString USER_AGENT = AsciiString.cached("user-agent");
  public static final AsciiString GRPC_TIMEOUT = AsciiString.cached("grpc-timeout");
  public static final AsciiString GRPC_ENCODING = AsciiString.cached("grpc-encoding");
  public static final AsciiString GRPC_ACCEPT_ENCODING = AsciiString.cached("grpc-accept-encoding");
  public static final AsciiString GRPC_STATUS = AsciiString.cached("grpc-status");
  public static final AsciiString GRPC_MESSAGE = AsciiString.cached("grpc-message");
  public static final AsciiString GRPC_MESSAGE_TYPE = AsciiString.cached("grpc-message-type");
  public static final AsciiString GRPC_STATUS_DETAILS_BIN =
      AsciiString.cached("grpc-status-details-bin");
  public static final AsciiString GRPC_PREVIOUS_RPC_ATTEMPTS =
      AsciiString.cached("grpc-previous-rpc-attempts");
  public static final AsciiString GRPC_RETRY_PUSHBACK_MS =
      AsciiString.cached("grpc-retry-pushback-ms");

  // Values.
  public static final AsciiString METHOD_POST = AsciiString.cached("POST");
  public static final AsciiString SCHEME_HTTP = AsciiString.cached("http");
  public static final AsciiString SCHEME_HTTPS = AsciiString.cached("https");
  public static final AsciiString STATUS_OK = AsciiString.cached("200");
  public static final AsciiString CONTENT_TYPE_GRPC = AsciiString.cached("application/grpc");
  public static final AsciiString CONTENT_TYPE_TEXT = AsciiString.cached("text/plain; charset=utf-8");
  public static final AsciiString TE_TRAILERS = AsciiString.cached("trailers");
  public static final AsciiString IDENTITY = AsciiString.cached("identity");

  /**
   * Whether {@code contentType} is a gRPC content type: {@code application/grpc} alone or followed by
   * {@code +} (a codec suffix) or {@code ;} (parameters), case-insensitively.
   */
  public static boolean isGrpcContentType(CharSequence contentType) {
    if (contentType == null) {
      return false;
    }
    int len = CONTENT_TYPE_GRPC.length();
    if (contentType.length() < len
        || !AsciiString.regionMatches(contentType, true, 0, CONTENT_TYPE_GRPC, 0, len)) {
      return false;
    }
    if (contentType.length() == len) {
      return true;
    }
    char next = contentType.charAt(len);
    return next == '+' || next == ';';
  }

  /**
   * The {@code :path} header value for a method, built once and kept in the descriptor's transport
   * cache.
   */
  public static AsciiString path(MethodDescriptor<?, ?> method) {
    Object cached = method.getTransportCache();
    if (cached instanceof AsciiString path) {
      return path;
    }
    AsciiString path = AsciiString.of(method.getPath());
    method.setTransportCache(path);
    return path;
  }
}
