package dev.grpcspring.protocol;

import dev.grpcspring.MethodDescriptor;
import io.netty.util.AsciiString;

/**
 * Header names and values of gRPC over HTTP/2 (the protocol's "Requests" and "Responses" grammar).
 * Each is a {@link CharSequence} whose implementation is an interned ASCII string, so that a transport
 * building headers copies nothing and its HPACK encoder compares names cheaply; callers see only
 * {@code CharSequence}.
 */
public final class GrpcHeaders {
  private GrpcHeaders() {}

  // Names.
  public static final CharSequence CONTENT_TYPE = AsciiString.cached("content-type");
  public static final CharSequence TE = AsciiString.cached("te");
  public static final CharSequence USER_AGENT = AsciiString.cached("user-agent");
  public static final CharSequence GRPC_TIMEOUT = AsciiString.cached("grpc-timeout");
  public static final CharSequence GRPC_ENCODING = AsciiString.cached("grpc-encoding");
  public static final CharSequence GRPC_ACCEPT_ENCODING = AsciiString.cached("grpc-accept-encoding");
  public static final CharSequence GRPC_STATUS = AsciiString.cached("grpc-status");
  public static final CharSequence GRPC_MESSAGE = AsciiString.cached("grpc-message");
  public static final CharSequence GRPC_MESSAGE_TYPE = AsciiString.cached("grpc-message-type");
  public static final CharSequence GRPC_STATUS_DETAILS_BIN =
      AsciiString.cached("grpc-status-details-bin");
  public static final CharSequence GRPC_PREVIOUS_RPC_ATTEMPTS =
      AsciiString.cached("grpc-previous-rpc-attempts");
  public static final CharSequence GRPC_RETRY_PUSHBACK_MS =
      AsciiString.cached("grpc-retry-pushback-ms");

  // Values.
  public static final CharSequence METHOD_POST = AsciiString.cached("POST");
  public static final CharSequence SCHEME_HTTP = AsciiString.cached("http");
  public static final CharSequence SCHEME_HTTPS = AsciiString.cached("https");
  public static final CharSequence STATUS_OK = AsciiString.cached("200");
  public static final CharSequence CONTENT_TYPE_GRPC = AsciiString.cached("application/grpc");
  public static final CharSequence CONTENT_TYPE_TEXT = AsciiString.cached("text/plain; charset=utf-8");
  public static final CharSequence TE_TRAILERS = AsciiString.cached("trailers");
  public static final CharSequence IDENTITY = AsciiString.cached("identity");

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
  public static CharSequence path(MethodDescriptor<?, ?> method) {
    Object cached = method.getTransportCache();
    if (cached instanceof AsciiString path) {
      return path;
    }
    AsciiString path = AsciiString.of(method.getPath());
    method.setTransportCache(path);
    return path;
  }
}
