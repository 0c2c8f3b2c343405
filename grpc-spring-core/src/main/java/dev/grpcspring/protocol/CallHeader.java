package dev.grpcspring.protocol;

import dev.grpcspring.Deadline;
import dev.grpcspring.Metadata;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What a client stream's request headers are made of (grpc-go's {@code transport.CallHdr}).
 *
 * @param path the {@code :path}, {@code /package.Service/Method} (an {@code AsciiString} is used
 *     as it is, so callers can cache one per method)
 * @param authority the {@code :authority}
 * @param deadline the effective deadline, sent as {@code grpc-timeout}; null for none
 * @param contentSubtype appended to {@code application/grpc+}; null or empty for none
 * @param sendCompress the {@code grpc-encoding} of request messages; null for identity
 * @param acceptEncoding the {@code grpc-accept-encoding} value; null to leave it out
 * @param userAgent the {@code user-agent}
 * @param metadata the custom metadata, after the call-definition headers
 */
public record CallHeader(
    CharSequence path,
    String authority,
    @Nullable Deadline deadline,
    @Nullable String contentSubtype,
    @Nullable String sendCompress,
    @Nullable String acceptEncoding,
    String userAgent,
    Metadata metadata) {
  public CallHeader {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(authority, "authority");
    Objects.requireNonNull(metadata, "metadata");
  }
}
