package dev.grpcspring.channelz;

/**
 * One GOAWAY frame a connection sent or received, as {@link Channelz.Listener#goAway} reports it.
 *
 * @param sent true when this side sent it, false when the peer did
 * @param errorCode the HTTP/2 error code (0 NO_ERROR, 11 ENHANCE_YOUR_CALM, ...)
 * @param debugData the frame's debug data as UTF-8, such as {@code too_many_pings} or {@code
 *     max_age}; empty when there was none
 */
public record GoAway(boolean sent, long errorCode, String debugData) {
  /** RFC 9113 section 7's error names, by code. */
  private static final String[] ERRORS = {"NO_ERROR", "PROTOCOL_ERROR", "INTERNAL_ERROR",
      "FLOW_CONTROL_ERROR", "SETTINGS_TIMEOUT", "STREAM_CLOSED", "FRAME_SIZE_ERROR",
      "REFUSED_STREAM", "CANCEL", "COMPRESSION_ERROR", "CONNECT_ERROR", "ENHANCE_YOUR_CALM",
      "INADEQUATE_SECURITY", "HTTP_1_1_REQUIRED"};

  /** The error code's name ({@code NO_ERROR}, {@code ENHANCE_YOUR_CALM}, ...), or UNKNOWN. */
  public String errorName() {
    return errorCode >= 0 && errorCode < ERRORS.length ? ERRORS[(int) errorCode] : "UNKNOWN";
  }
}
