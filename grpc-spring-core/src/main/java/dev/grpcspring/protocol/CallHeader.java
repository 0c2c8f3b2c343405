package dev.grpcspring.protocol;

import dev.grpcspring.Deadline;
import dev.grpcspring.Metadata;
import io.netty.util.AsciiString;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * What a client stream's request headers are made of (grpc-go's {@code transport.CallHdr}).
 *
 * @param path the {@code :path}, {@code /package.Service/Method} (an {@code AsciiString} is used
 *     as it is, so callers can cache one per method)
 * @param authority the {@code :authority} (like the other text fields, an {@code AsciiString} is
 *     sent as it is, so a channel can make its constant ones once)
 * @param deadline the effective deadline, sent as {@code grpc-timeout}; null for none
 * @param contentSubtype appended to {@code application/grpc+}; null or empty for none
 * @param sendCompress the {@code grpc-encoding} of request messages; null for identity
 * @param acceptEncoding the {@code grpc-accept-encoding} value; null to leave it out
 * @param userAgent the {@code user-agent}
 * @param metadata the custom metadata, after the call-definition headers
 */
public record CallHeader(
    CharSequence path,
    CharSequence authority,
    @Nullable Deadline deadline,
    @Nullable String contentSubtype,
    @Nullable String sendCompress,
    @Nullable CharSequence acceptEncoding,
    CharSequence userAgent,
    Metadata metadata) {
  private static final AsciiString PSEUDO_METHOD = AsciiString.cached(":method");
  private static final AsciiString PSEUDO_SCHEME = AsciiString.cached(":scheme");
  private static final AsciiString PSEUDO_PATH = AsciiString.cached(":path");
  private static final AsciiString PSEUDO_AUTHORITY = AsciiString.cached(":authority");

  public CallHeader {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(authority, "authority");
    Objects.requireNonNull(metadata, "metadata");
  }

  /**
   * Writes the Request-Headers in the spec's order: {@code :method POST}, {@code :scheme}, {@code
   * :path}, {@code :authority}, {@code te}, {@code grpc-timeout} (the deadline's remaining time, at
   * least 1 ns), {@code content-type}, {@code grpc-encoding}, {@code grpc-accept-encoding}, {@code
   * user-agent}, then the custom metadata.
   *
   * @param secure whether the connection is TLS ({@code :scheme https})
   */
  public void writeTo(HeaderSink headers, boolean secure) {
    boolean compressed = sendCompress != null && !sendCompress.equals("identity");
    boolean accepts = acceptEncoding != null && acceptEncoding.length() > 0;
    headers.expectFields(2 + (deadline != null ? 1 : 0) + (compressed ? 1 : 0) + (accepts ? 1 : 0)
        + (userAgent != null ? 1 : 0) + metadata.size());
    headers.add(PSEUDO_METHOD, GrpcHeaders.METHOD_POST);
    headers.add(PSEUDO_SCHEME, secure ? GrpcHeaders.SCHEME_HTTPS : GrpcHeaders.SCHEME_HTTP);
    headers.add(PSEUDO_PATH, path instanceof AsciiString ? path : new AsciiString(path));
    headers.add(PSEUDO_AUTHORITY, AsciiString.of(authority));
    headers.add(GrpcHeaders.TE, GrpcHeaders.TE_TRAILERS);
    if (deadline != null) {
      long nanos = Math.max(1, deadline.timeRemaining(TimeUnit.NANOSECONDS));
      headers.add(GrpcHeaders.GRPC_TIMEOUT, AsciiString.of(GrpcTimeout.encode(nanos)));
    }
    headers.add(GrpcHeaders.CONTENT_TYPE, contentSubtype == null || contentSubtype.isEmpty()
        ? GrpcHeaders.CONTENT_TYPE_GRPC
        : new AsciiString(GrpcHeaders.CONTENT_TYPE_GRPC + "+" + contentSubtype));
    if (sendCompress != null && compressed) {
      headers.add(GrpcHeaders.GRPC_ENCODING, new AsciiString(sendCompress));
    }
    if (acceptEncoding != null && accepts) {
      headers.add(GrpcHeaders.GRPC_ACCEPT_ENCODING, AsciiString.of(acceptEncoding));
    }
    if (userAgent != null) {
      headers.add(GrpcHeaders.USER_AGENT, AsciiString.of(userAgent));
    }
    MetadataCodec.addTo(metadata, headers);
  }
}
