package dev.grpcspring.client;

import dev.grpcspring.CallOptions;
import dev.grpcspring.Metadata;
import dev.grpcspring.credentials.PerRpcCredentials;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The call options grpc-go has that the root {@link CallOptions} does not carry as fields, as typed
 * {@link CallOptions.Key}s with helpers (grpc-go's {@code CallContentSubtype}, {@code ForceCodec},
 * {@code Header}, {@code Trailer}, {@code Peer}, {@code PerRPCCredentials}, {@code
 * MaxRetryRPCBufferSize}). The others map onto the root class: {@code WaitForReady} is {@link
 * CallOptions#withWaitForReady()}, {@code MaxCallRecvMsgSize} / {@code MaxCallSendMsgSize} are
 * {@link CallOptions#withMaxInboundMessageSize} / {@link CallOptions#withMaxOutboundMessageSize},
 * {@code UseCompressor} is {@link CallOptions#withCompression}, and the deadline is {@link
 * CallOptions#withDeadline}.
 *
 * <pre>{@code
 * AtomicReference<Metadata> trailers = new AtomicReference<>();
 * CallOptions opts = ClientCallOptions.withTrailerCapture(CallOptions.DEFAULT, trailers);
 * }</pre>
 */
public final class ClientCallOptions {
  /** The content-subtype: {@code content-type: application/grpc+<subtype>}. */
  public static final CallOptions.Key<String> CONTENT_SUBTYPE = CallOptions.Key.create("contentSubtype");

  /** A codec replacing the method's marshallers; its name is the content-subtype. */
  public static final CallOptions.Key<CallCodec> CODEC = CallOptions.Key.create("codec");

  /** Receives the response headers when they arrive (empty metadata for Trailers-Only). */
  public static final CallOptions.Key<AtomicReference<Metadata>> HEADER_CAPTURE =
      CallOptions.Key.create("headerCapture");

  /** Receives the trailers when the call ends. */
  public static final CallOptions.Key<AtomicReference<Metadata>> TRAILER_CAPTURE =
      CallOptions.Key.create("trailerCapture");

  /** Receives the server's address once the call has a connection. */
  public static final CallOptions.Key<AtomicReference<Peer>> PEER_CAPTURE =
      CallOptions.Key.create("peerCapture");

  /** Credentials whose metadata is added to this call, after the channel's. */
  public static final CallOptions.Key<PerRpcCredentials> PER_RPC_CREDENTIALS =
      CallOptions.Key.create("perRpcCredentials");

  /** Default bound on request bytes kept for a transparent retry: 256 KiB, as grpc-go. */
  public static final int DEFAULT_MAX_RETRY_RPC_BUFFER_SIZE = 256 * 1024;

  /**
   * The most request bytes kept for replay on a new attempt; past it the call commits to its
   * attempt and can no longer be retried.
   */
  public static final CallOptions.Key<Integer> MAX_RETRY_RPC_BUFFER_SIZE =
      CallOptions.Key.createWithDefault("maxRetryRpcBufferSize", DEFAULT_MAX_RETRY_RPC_BUFFER_SIZE);

  /** Hears about each attempt of the call (first, transparent retry, retry, hedge). */
  public static final CallOptions.Key<CallAttemptListener> ATTEMPT_LISTENER =
      CallOptions.Key.create("attemptListener");

  private ClientCallOptions() {}

  /** Sends {@code content-type: application/grpc+subtype} (lowercased). */
  public static CallOptions withContentSubtype(CallOptions options, String subtype) {
    return options.withOption(CONTENT_SUBTYPE, Objects.requireNonNull(subtype, "subtype").toLowerCase(Locale.ROOT));
  }

  /** Encodes and decodes with {@code codec} instead of the method's marshallers. */
  public static CallOptions withCodec(CallOptions options, CallCodec codec) {
    return options.withOption(CODEC, Objects.requireNonNull(codec, "codec"));
  }

  /** Stores the response headers into {@code sink} when they arrive. */
  public static CallOptions withHeaderCapture(CallOptions options, AtomicReference<Metadata> sink) {
    return options.withOption(HEADER_CAPTURE, Objects.requireNonNull(sink, "sink"));
  }

  /** Stores the trailers into {@code sink} when the call ends. */
  public static CallOptions withTrailerCapture(CallOptions options, AtomicReference<Metadata> sink) {
    return options.withOption(TRAILER_CAPTURE, Objects.requireNonNull(sink, "sink"));
  }

  /** Stores the peer into {@code sink} once the call has a connection. */
  public static CallOptions withPeerCapture(CallOptions options, AtomicReference<Peer> sink) {
    return options.withOption(PEER_CAPTURE, Objects.requireNonNull(sink, "sink"));
  }

  /** Adds {@code credentials}' metadata to the call. */
  public static CallOptions withPerRpcCredentials(CallOptions options, PerRpcCredentials credentials) {
    return options.withOption(PER_RPC_CREDENTIALS, Objects.requireNonNull(credentials, "credentials"));
  }

  /** Tells {@code listener} about each attempt the call makes. */
  public static CallOptions withAttemptListener(CallOptions options, CallAttemptListener listener) {
    return options.withOption(ATTEMPT_LISTENER, Objects.requireNonNull(listener, "listener"));
  }

  /** Bounds the request bytes kept for a transparent retry. */
  public static CallOptions withMaxRetryRpcBufferSize(CallOptions options, int bytes) {
    if (bytes < 0) {
      throw new IllegalArgumentException("max retry RPC buffer size must be >= 0, was " + bytes);
    }
    return options.withOption(MAX_RETRY_RPC_BUFFER_SIZE, bytes);
  }
}
