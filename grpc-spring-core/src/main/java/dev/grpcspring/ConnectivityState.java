package dev.grpcspring;

/** The state of a channel or subchannel (gRPC's connectivity-semantics-and-api). */
public enum ConnectivityState {
  /** Not connected and not trying; the next call (or {@code connect()}) starts connecting. */
  IDLE,
  /** Trying to connect. */
  CONNECTING,
  /** Connected; calls can go out. */
  READY,
  /** The last attempt failed; waiting for backoff before the next. */
  TRANSIENT_FAILURE,
  /** Closed for good. */
  SHUTDOWN
}
