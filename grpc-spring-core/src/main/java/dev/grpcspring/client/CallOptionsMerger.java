package dev.grpcspring.client;

import dev.grpcspring.CallOptions;
import java.util.Objects;

/** Lays a call's options over the channel's default call options (grpc-go's defaultCallOptions). */
final class CallOptionsMerger {
  private CallOptionsMerger() {}

  static CallOptions merge(CallOptions defaults, CallOptions call) {
    if (defaults == CallOptions.DEFAULT) {
      return call;
    }
    CallOptions out = call;
    if (out.getDeadline() == null && defaults.getDeadline() != null) {
      out = out.withDeadline(defaults.getDeadline());
    }
    if (out.getAuthority() == null && defaults.getAuthority() != null) {
      out = out.withAuthority(defaults.getAuthority());
    }
    if (out.getCompressor() == null && defaults.getCompressor() != null) {
      out = out.withCompression(defaults.getCompressor());
    }
    if (out.getWaitForReady() == null && defaults.getWaitForReady() != null) {
      out = defaults.getWaitForReady() ? out.withWaitForReady() : out.withoutWaitForReady();
    }
    if (out.getMaxInboundMessageSize() == null && defaults.getMaxInboundMessageSize() != null) {
      out = out.withMaxInboundMessageSize(defaults.getMaxInboundMessageSize());
    }
    if (out.getMaxOutboundMessageSize() == null && defaults.getMaxOutboundMessageSize() != null) {
      out = out.withMaxOutboundMessageSize(defaults.getMaxOutboundMessageSize());
    }
    if (out.getExecutor() == null && defaults.getExecutor() != null) {
      out = out.withExecutor(defaults.getExecutor());
    }
    out = inherit(out, defaults, ClientCallOptions.CONTENT_SUBTYPE);
    out = inherit(out, defaults, ClientCallOptions.CODEC);
    out = inherit(out, defaults, ClientCallOptions.PER_RPC_CREDENTIALS);
    out = inherit(out, defaults, ClientCallOptions.HEADER_CAPTURE);
    out = inherit(out, defaults, ClientCallOptions.TRAILER_CAPTURE);
    out = inherit(out, defaults, ClientCallOptions.PEER_CAPTURE);
    if (Objects.equals(out.getOption(ClientCallOptions.MAX_RETRY_RPC_BUFFER_SIZE),
        ClientCallOptions.DEFAULT_MAX_RETRY_RPC_BUFFER_SIZE)) {
      out = out.withOption(ClientCallOptions.MAX_RETRY_RPC_BUFFER_SIZE,
          defaults.getOption(ClientCallOptions.MAX_RETRY_RPC_BUFFER_SIZE));
    }
    return out;
  }

  private static <T> CallOptions inherit(CallOptions out, CallOptions defaults, CallOptions.Key<T> key) {
    T own = out.getOption(key);
    T def = defaults.getOption(key);
    return own == null && def != null ? out.withOption(key, def) : out;
  }
}
